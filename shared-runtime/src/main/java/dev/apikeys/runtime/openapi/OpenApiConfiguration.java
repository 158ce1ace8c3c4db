package dev.apikeys.runtime.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.runtime.security.Caller;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) of whichever
 * side runs: each documents its own endpoints, standalone all of them. The controllers read their
 * bodies as JSON trees to validate them by hand, so they name the documented request types in
 * annotations; what is shared lives here: the bearer scheme, snake_case names, problem answers.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer";
    static final String PROBLEM_SCHEMA = "Problem";
    private static final String ANY_MEDIA_TYPE = "*/*";

    static {
        // Resolved from the bearer token, not sent as a parameter.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    OpenAPI apiKeysOpenApi() {
        return new OpenAPI()
                .info(new Info().title("API key service").version("v1")
                        .description("Create, list, rotate, disable and delete your API keys; verify a key."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("A JWT: sub is the user, org_ids the user's organizations, scope may grant "
                                + "apikeys:verify or apikeys:admin.")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /**
     * Names properties as the API's own mapper writes them ({@code spring.jackson.property-naming-strategy}:
     * snake_case); springdoc's default mapper would document {@code keyPrefix} for {@code key_prefix}.
     */
    @Bean
    ModelResolver snakeCaseModelResolver(ObjectMapper objectMapper) {
        return new ModelResolver(objectMapper);
    }

    /**
     * Every error answer is an RFC 9457 problem: each 4xx and 5xx response an operation declares
     * gets the problem body, and every operation may answer 401 (every endpoint needs a token).
     */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            ResolvedSchema problem = ModelConverters.getInstance().resolveAsResolvedSchema(new AnnotatedType(Problem.class));
            problem.referencedSchemas.forEach(openApi.getComponents()::addSchemas);
            openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problem.schema);
            Content problemContent = new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)));
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                operation.getResponses().putIfAbsent("401", new ApiResponse()
                        .description("No valid bearer token (WWW-Authenticate: Bearer)"));
                for (Map.Entry<String, ApiResponse> response : operation.getResponses().entrySet()) {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        response.getValue().setContent(problemContent);
                    } else {
                        answeredAsJson(response.getValue().getContent());
                    }
                }
            }));
        };
    }

    /** springdoc documents "any media type" where the controllers leave it to the Accept header: they answer JSON. */
    private static void answeredAsJson(Content content) {
        if (content != null && content.containsKey(ANY_MEDIA_TYPE)) {
            content.addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, content.remove(ANY_MEDIA_TYPE));
        }
    }
}
