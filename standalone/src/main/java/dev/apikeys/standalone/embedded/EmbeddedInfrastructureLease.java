package dev.apikeys.standalone.embedded;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One Spring context's use of the embedded servers. It hands the servers to the context as beans
 * (so a test can stop the broker to simulate an outage) and gives them back when the context
 * closes.
 */
final class EmbeddedInfrastructureLease implements DisposableBean {

    private final EmbeddedInfrastructure infrastructure;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaBroker kafkaBroker;
    private final Future<Void> kafkaStart;
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * Either server may be null: the context was given a real one instead.
     *
     * @param kafkaStart the broker's start, under way on a thread of its own
     */
    EmbeddedInfrastructureLease(EmbeddedInfrastructure infrastructure, EmbeddedPostgresServer postgres,
                                EmbeddedKafkaBroker kafkaBroker, Future<Void> kafkaStart) {
        this.infrastructure = infrastructure;
        this.postgres = postgres;
        this.kafkaBroker = kafkaBroker;
        this.kafkaStart = kafkaStart;
    }

    /** Call before the context refreshes. */
    void registerWith(ConfigurableApplicationContext context) {
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (postgres != null) {
            beanFactory.registerSingleton("embeddedPostgresServer", postgres);
        }
        if (kafkaBroker != null) {
            beanFactory.registerSingleton("embeddedKafkaBroker", kafkaBroker);
            // Once every bean is built and before any starts (the audit publisher among them), the
            // broker is running, or the context fails to start as it would without it.
            ((DefaultListableBeanFactory) beanFactory).registerBeanDefinition("embeddedKafkaBrokerStarted",
                    new RootBeanDefinition(SmartInitializingSingleton.class, () -> this::awaitKafkaStart));
        }
        // Registered before any other bean, so destroyed after all of them: the data source and
        // the Kafka producers close while their servers still answer.
        ((DefaultListableBeanFactory) beanFactory).registerDisposableBean("embeddedInfrastructureLease", this);
    }

    private void awaitKafkaStart() {
        try {
            kafkaStart.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded Kafka broker", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("The embedded Kafka broker did not start", e.getCause());
        }
    }

    @Override
    public void destroy() {
        if (released.compareAndSet(false, true)) {
            infrastructure.release();
        }
    }
}
