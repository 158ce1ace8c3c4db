package dev.apikeys.standalone;

import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The end-to-end suite against the standalone process, on its embedded PostgreSQL and Kafka. */
@OwnStandaloneProcess
class ApiKeysEndToEndTest extends KeyLifecycleSuite {

    private static final Map<String, String> PROPERTIES = StandaloneTestProperties.fresh(MAX_KEYS);

    @DynamicPropertySource
    static void standalone(DynamicPropertyRegistry registry) {
        StandaloneTestProperties.register(registry, PROPERTIES);
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Environment environment;

    @Override
    Api api() {
        return new Api(port);
    }

    @Override
    String bootstrapServers() {
        return environment.getRequiredProperty("apikeys.audit.bootstrap-servers");
    }
}
