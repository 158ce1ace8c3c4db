package dev.apikeys.standalone;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The standalone application on a random port, for a test class whose settings are its own (see
 * {@link StandaloneTestProperties#fresh}): no other class could reuse its context, so its
 * PostgreSQL, broker and processors stop after the class rather than run on for the module.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@DirtiesContext
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@interface OwnStandaloneProcess {
}
