package dev.apikeys.runtime.axon;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Jackson for everything Axon stores or sends: events, messages, tokens and sagas. Axon's
 * autoconfiguration backs off from each of its three serializer beans when one with the same
 * qualifier exists ({@code @ConditionalOnMissingQualifiedBean}), so these are the only ones.
 * <p>
 * The ObjectMapper is private to Axon on purpose: the web one names fields in snake_case, and a
 * change to the HTTP format must never change how stored events read. It is not a bean, so Spring
 * Boot still builds the web one.
 */
@Configuration(proxyBeanMethods = false)
class AxonSerializerConfiguration {

    @Bean
    @Primary
    Serializer serializer() {
        return jacksonSerializer();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return jacksonSerializer();
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer() {
        return jacksonSerializer();
    }

    private static Serializer jacksonSerializer() {
        return JacksonSerializer.builder()
                .objectMapper(axonObjectMapper())
                // @Revision on the events names their version.
                .revisionResolver(new AnnotationRevisionResolver())
                .build();
    }

    static ObjectMapper axonObjectMapper() {
        return new ObjectMapper()
                .findAndRegisterModules()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
