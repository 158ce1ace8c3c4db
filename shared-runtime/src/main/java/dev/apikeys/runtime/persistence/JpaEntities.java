package dev.apikeys.runtime.persistence;

import org.axonframework.eventhandling.tokenstore.jpa.TokenEntry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/**
 * The one entity JPA manages: Axon's token entry, for the query side's token store. Left to
 * scanning, Hibernate would also map, validate and prepare the queries of Axon's saga and dead
 * letter entities, which nothing here uses, and scan every package of the service for more.
 */
@Configuration(proxyBeanMethods = false)
class JpaEntities {

    @Bean
    PersistenceManagedTypes persistenceManagedTypes() {
        return PersistenceManagedTypes.of(TokenEntry.class.getName());
    }
}
