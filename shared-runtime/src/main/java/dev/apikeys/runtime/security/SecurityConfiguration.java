package dev.apikeys.runtime.security;

import jakarta.servlet.DispatcherType;
import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Every endpoint needs a bearer token except health and the API's documentation; the other
 * actuator endpoints need the {@code apikeys:admin} scope, verification the {@code apikeys:verify} scope. Scopes are checked
 * here, before the request body is read, so a caller without the right gets its 403 whatever it
 * sent. Stateless: no session, no CSRF (nothing rides on cookies).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String ADMIN_AUTHORITY = "SCOPE_apikeys:admin";
    static final String VERIFY_AUTHORITY = "SCOPE_apikeys:verify";
    static final String VERIFY_PATH = "/api/v1/apikeys/verify";

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ProblemAuthenticationEntryPoint entryPoint,
            ProblemAccessDeniedHandler accessDeniedHandler) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests
                        // An error dispatch answers for a request that was already let in or turned away.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // The OpenAPI document and Swagger UI describe the public contract and hold no
                        // data; a client must be able to read how to authenticate before it has a token.
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/actuator", "/actuator/**").hasAuthority(ADMIN_AUTHORITY)
                        .requestMatchers(VERIFY_PATH).hasAuthority(VERIFY_AUTHORITY)
                        .anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> { })
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler));
        return http.build();
    }

    /**
     * Service rights come from {@code scope} alone: Spring's default converter falls back to
     * {@code scp}, which would grant them to a claim this service does not define.
     */
    @Bean
    static JwtAuthenticationConverter jwtAuthenticationConverter() {
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        scopes.setAuthoritiesClaimName("scope");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(scopes);
        return converter;
    }

    /**
     * Spring Security's firewall as it is, but quick for what nearly every request carries: its
     * header check, a Unicode regex run on every character of every header, took 18% of the CPU of a
     * create (the bearer token alone is hundreds of characters). Printable ASCII passes every one of
     * those checks, so it is let through without the regex; anything else the regex decides.
     */
    @Bean
    static StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(printableAsciiOr(StrictHttpFirewall.ALLOWED_HEADER_NAMES, false));
        firewall.setAllowedHeaderValues(printableAsciiOr(StrictHttpFirewall.ALLOWED_HEADER_VALUES, true));
        firewall.setAllowedParameterNames(printableAsciiOr(StrictHttpFirewall.ALLOWED_PARAMETER_NAMES, false));
        return firewall;
    }

    static Predicate<String> printableAsciiOr(Predicate<String> otherwise, boolean tab) {
        return value -> {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < ' ' || c > '~') && !(tab && c == '\t')) {
                    return otherwise.test(value);
                }
            }
            return true;
        };
    }

    /**
     * Spring Security would observe the chain, each of its filters, each authentication and each
     * authorization: a dozen observations and meter lookups on every request. Turned off by
     * predicate (management.observations.enable), it still wrapped every filter in an observing
     * decorator that cost a few percent of a verification's CPU; these settings leave the chain
     * undecorated. HTTP server metrics stay.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }
}
