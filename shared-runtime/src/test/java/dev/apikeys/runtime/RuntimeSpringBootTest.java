package dev.apikeys.runtime;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/** One shared application context for the tests that need the running runtime. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = RuntimeTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "apikeys.security.hmac-secret=" + TestTokens.SECRET,
                "axon.axonserver.enabled=false",
                "spring.jackson.property-naming-strategy=SNAKE_CASE",
                "spring.servlet.multipart.enabled=false",
                "spring.mvc.formcontent.filter.enabled=false",
                "management.endpoints.web.exposure.include=health,info"})
public @interface RuntimeSpringBootTest {
}
