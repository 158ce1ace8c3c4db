package dev.apikeys.command.persistence;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.orm.jpa.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The command side owns schema {@code event_store}: Axon's tables and the key quota. Spring Boot's
 * own Flyway is off because each side migrates its own schema; this one runs before JPA starts, so
 * Hibernate validates the migrated tables.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreMigration {

    @Bean(initMethod = "migrate")
    Flyway eventStoreFlyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas("event_store")
                .locations("classpath:db/event_store")
                .load();
    }

    @Bean
    static EntityManagerFactoryDependsOnPostProcessor entityManagerFactoryAfterEventStoreFlyway() {
        return new EntityManagerFactoryDependsOnPostProcessor("eventStoreFlyway");
    }
}
