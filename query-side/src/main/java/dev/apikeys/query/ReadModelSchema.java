package dev.apikeys.query;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.orm.jpa.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flyway owns schema {@code read_model}: the tables Axon's processors need (tokens, sagas, dead
 * letters) and ours. It migrates before JPA starts, so Hibernate validates the migrated schema.
 */
@Configuration(proxyBeanMethods = false)
class ReadModelSchema {

    @Bean(initMethod = "migrate")
    Flyway readModelFlyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas("read_model")
                .locations("classpath:db/read_model")
                .load();
    }

    @Bean
    static EntityManagerFactoryDependsOnPostProcessor readModelFlywayBeforeJpa() {
        return new EntityManagerFactoryDependsOnPostProcessor("readModelFlyway");
    }
}
