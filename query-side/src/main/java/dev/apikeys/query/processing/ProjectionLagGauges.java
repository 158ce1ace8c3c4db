package dev.apikeys.query.processing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * {@code apikeys.projection.lag.events{processor}} (Prometheus: {@code apikeys_projection_lag_events}):
 * the {@code lag_events} of {@code GET /actuator/projections}, computed when scraped.
 */
@Component
class ProjectionLagGauges implements MeterBinder {

    static final String NAME = "apikeys.projection.lag.events";

    private final Projections projections;

    ProjectionLagGauges(Projections projections) {
        this.projections = projections;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : projections.names()) {
            Gauge.builder(NAME, projections, source -> source.lagEvents(name))
                    .tag("processor", name)
                    .description("Committed events the processor has not applied yet")
                    .register(registry);
        }
    }
}
