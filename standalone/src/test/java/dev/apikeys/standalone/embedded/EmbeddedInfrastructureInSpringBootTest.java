package dev.apikeys.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A test may name the data directory with @DynamicPropertySource, which only exists once the context is prepared. */
@SpringBootTest(classes = EmbeddedInfrastructureStarterTest.NothingElse.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "apikeys.audit.bootstrap-servers=127.0.0.1:1")
@DirtiesContext
class EmbeddedInfrastructureInSpringBootTest {

    private static final Path dataDirectory = newDirectory();

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("apikeys.standalone.data-dir", dataDirectory::toString);
    }

    @Autowired
    Environment environment;

    @Test
    void usesTheDataDirectoryGivenByDynamicPropertySource() throws Exception {
        assertThat(environment.getProperty("apikeys.security.hmac-secret"))
                .isEqualTo(Files.readString(dataDirectory.resolve("hmac-secret")).strip());
        assertThat(dataDirectory.resolve("postgres").resolve("PG_VERSION")).exists();
        try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"), environment.getProperty("spring.datasource.password"))) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    /** Under the build directory: the server still runs when JUnit would delete a @TempDir. */
    private static Path newDirectory() {
        try {
            Path buildDirectory = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(buildDirectory, "embedded-infrastructure-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
