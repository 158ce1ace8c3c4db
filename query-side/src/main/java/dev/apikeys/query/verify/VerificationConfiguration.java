package dev.apikeys.query.verify;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.ZoneOffset;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

@Configuration(proxyBeanMethods = false)
class VerificationConfiguration {

    @Bean
    VerifiableKeys verifiableKeys() {
        return new VerifiableKeys();
    }

    @Bean
    Freshness freshness(NamedParameterJdbcTemplate jdbc) {
        return new Freshness(new StoreHead(gaps -> readHead(jdbc, gaps)));
    }

    /** The head and which of the gaps are committed, in one round trip; both by index. */
    private static StoreHead.Reading readHead(NamedParameterJdbcTemplate jdbc, Set<Long> gaps) {
        // "in ()" is not valid SQL; -1 is never a global index.
        Map<String, Object> parameters = Map.of("gaps", gaps.isEmpty() ? List.of(-1L) : gaps);
        return jdbc.queryForObject("""
                select (select max(global_index) from event_store.domain_event_entry) as head,
                       array(select global_index from event_store.domain_event_entry
                              where global_index in (:gaps)) as committed
                """, parameters, (row, number) -> {
            long head = row.getLong("head");
            long index = row.wasNull() ? -1 : head;
            Long[] committed = (Long[]) row.getArray("committed").getArray();
            return new StoreHead.Reading(index, Set.of(committed));
        });
    }

    /** "Now" for expiry and usage; the command side declares the same clock when both run together. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.tickMillis(ZoneOffset.UTC);
    }
}
