package dev.apikeys.standalone.embedded;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One Spring context's use of the embedded servers. It hands the running servers to the context
 * as beans (so a test can stop the broker to simulate an outage) and gives them back when the
 * context closes.
 */
final class EmbeddedInfrastructureLease implements DisposableBean {

    private final EmbeddedInfrastructure infrastructure;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaBroker kafkaBroker;
    private final AtomicBoolean released = new AtomicBoolean();

    /** Either server may be null: the context was given a real one instead. */
    EmbeddedInfrastructureLease(EmbeddedInfrastructure infrastructure, EmbeddedPostgresServer postgres,
                                EmbeddedKafkaBroker kafkaBroker) {
        this.infrastructure = infrastructure;
        this.postgres = postgres;
        this.kafkaBroker = kafkaBroker;
    }

    /** Call before the context refreshes. */
    void registerWith(ConfigurableApplicationContext context) {
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (postgres != null) {
            beanFactory.registerSingleton("embeddedPostgresServer", postgres);
        }
        if (kafkaBroker != null) {
            beanFactory.registerSingleton("embeddedKafkaBroker", kafkaBroker);
        }
        // Registered before any other bean, so destroyed after all of them: the data source and
        // the Kafka producers close while their servers still answer.
        ((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean("embeddedInfrastructureLease", this);
    }

    @Override
    public void destroy() {
        if (released.compareAndSet(false, true)) {
            infrastructure.release();
        }
    }
}
