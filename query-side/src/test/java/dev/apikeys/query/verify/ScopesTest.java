package dev.apikeys.query.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopesTest {

    /** granted | required (space-separated, "-" for none) | whether granted meets required */
    @ParameterizedTest(name = "granted [{0}], required [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "-                               | -                              | true",
            "models:read                     | -                              | true",
            "-                               | models:read                    | false",
            "models:read                     | models:read                    | true",
            "models:*                        | models:read                    | true",
            "models:*                        | models:write                   | true",
            "models:*                        | models:*                       | true",
            "models:read                     | models:*                       | false",
            "models:read                     | models:write                   | false",
            "models:read                     | workflows:read                 | false",
            "workflows:*                     | models:read                    | false",
            "models:read workflows:*         | models:read workflows:run      | true",
            "models:read workflows:*         | models:write workflows:run     | false",
            "models:read models:write        | models:read models:write       | true",
            "model:*                         | models:read                    | false",
            "models:*                        | model:read                     | false",
            "models_x:*                      | models:read                    | false",
    })
    void aRequiredScopeIsMetByItselfOrItsResourceWildcard(String granted, String required, boolean met) {
        assertThat(Scopes.grant(list(granted), list(required))).isEqualTo(met);
    }

    private static List<String> list(String scopes) {
        return scopes.equals("-") ? List.of() : Arrays.asList(scopes.trim().split("\\s+"));
    }
}
