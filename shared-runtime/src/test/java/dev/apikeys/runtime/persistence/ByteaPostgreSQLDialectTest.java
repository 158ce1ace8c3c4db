package dev.apikeys.runtime.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import org.axonframework.eventhandling.tokenstore.jpa.TokenEntry;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialect as Hibernate sees Axon's token entity: the DDL it would write is what the Flyway
 * migrations must match for {@code ddl-auto: validate}. No database needed.
 */
class ByteaPostgreSQLDialectTest {

    @Test
    void blobColumnsAreBytea() {
        ByteaPostgreSQLDialect dialect = new ByteaPostgreSQLDialect();

        assertThat(dialect.columnType(SqlTypes.BLOB)).isEqualTo("bytea");
        assertThat(dialect.castType(SqlTypes.BLOB)).isEqualTo("bytea");
        assertThat(dialect.columnType(SqlTypes.BIGINT)).isEqualTo("bigint");
    }

    @Test
    void blobValuesAreBoundAsBytes(@TempDir Path dir) {
        Metadata metadata = axonMetadata(registry("read_model", dir.resolve("unused.sql")));

        assertThat(metadata.getDatabase().getTypeConfiguration().getJdbcTypeRegistry().getDescriptor(Types.BLOB))
                .isSameAs(BinaryJdbcType.INSTANCE);
    }

    @Test
    void axonTokensAreBytea(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("create.sql");
        StandardServiceRegistry registry = registry("read_model", script);

        axonMetadata(registry).buildSessionFactory().close();

        String ddl = Files.readString(script).replaceAll("\\s+", " ");
        assertThat(ddl)
                .contains("create table read_model.token_entry (")
                .contains("token bytea,")
                .doesNotContain(" oid");
    }

    private static StandardServiceRegistry registry(String defaultSchema, Path script) {
        return new StandardServiceRegistryBuilder()
                .applySetting("hibernate.dialect", ByteaPostgreSQLDialect.class.getName())
                .applySetting("hibernate.boot.allow_jdbc_metadata_access", "false")
                .applySetting("hibernate.default_schema", defaultSchema)
                .applySetting("hibernate.physical_naming_strategy",
                        "org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy")
                .applySetting("jakarta.persistence.schema-generation.scripts.action", "create")
                .applySetting("jakarta.persistence.schema-generation.scripts.create-target", script.toString())
                .build();
    }

    private static Metadata axonMetadata(StandardServiceRegistry registry) {
        return new MetadataSources(registry)
                .addAnnotatedClass(TokenEntry.class)
                .buildMetadata();
    }
}
