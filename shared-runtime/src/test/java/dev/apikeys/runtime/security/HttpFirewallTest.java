package dev.apikeys.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The firewall's quick checks answer as Spring Security's own, for ASCII and for everything else. */
class HttpFirewallTest {

    static List<String> values() {
        return List.of("", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln", "application/json", "a\tb", "tab\t",
                "new\nline", "nul\u0000", "del\u007f", "caf\u00e9", "nbsp\u00a0", "unassigned\u0378",
                "emoji\ud83d\udd11", "lone surrogate\ud83d", "c1 control\u0085", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./");
    }

    @ParameterizedTest
    @MethodSource("values")
    void headerNamesAreJudgedAsByDefault(String value) {
        assertSame(StrictHttpFirewall.ALLOWED_HEADER_NAMES, SecurityConfiguration.printableAsciiOr(
                StrictHttpFirewall.ALLOWED_HEADER_NAMES, false), value);
    }

    @ParameterizedTest
    @MethodSource("values")
    void headerValuesAreJudgedAsByDefault(String value) {
        assertSame(StrictHttpFirewall.ALLOWED_HEADER_VALUES, SecurityConfiguration.printableAsciiOr(
                StrictHttpFirewall.ALLOWED_HEADER_VALUES, true), value);
    }

    @ParameterizedTest
    @MethodSource("values")
    void parameterNamesAreJudgedAsByDefault(String value) {
        assertSame(StrictHttpFirewall.ALLOWED_PARAMETER_NAMES, SecurityConfiguration.printableAsciiOr(
                StrictHttpFirewall.ALLOWED_PARAMETER_NAMES, false), value);
    }

    private static void assertSame(Predicate<String> spring, Predicate<String> quick, String value) {
        assertThat(quick.test(value)).as("%s", value.chars().boxed().toList()).isEqualTo(spring.test(value));
    }
}
