package dev.apikeys.query.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.apikeys.runtime.problem.InvalidRequest;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DayRangeTest {

    private static final LocalDate TODAY = LocalDate.parse("2025-03-15");

    @Test
    void bothDaysAreIncludedInAscendingOrder() {
        DayRange range = DayRange.of("2025-02-27", "2025-03-01", TODAY);

        assertThat(range.days()).containsExactly(LocalDate.parse("2025-02-27"), LocalDate.parse("2025-02-28"),
                LocalDate.parse("2025-03-01"));
    }

    @Test
    void oneDayIsARange() {
        assertThat(DayRange.of("2025-03-01", "2025-03-01", TODAY).days()).containsExactly(LocalDate.parse("2025-03-01"));
    }

    @Test
    void withoutParametersItIsTheLast30DaysEndingToday() {
        assertThat(DayRange.of(null, null, TODAY)).isEqualTo(new DayRange(LocalDate.parse("2025-02-14"), TODAY));
        assertThat(DayRange.of(null, null, TODAY).days()).hasSize(30);
    }

    @Test
    void withoutFromItIsThe30DaysEndingWithToInALeapYearToo() {
        assertThat(DayRange.of(null, "2024-03-01", TODAY))
                .isEqualTo(new DayRange(LocalDate.parse("2024-02-01"), LocalDate.parse("2024-03-01")));
    }

    @Test
    void withoutToItEndsToday() {
        assertThat(DayRange.of("2025-03-10", null, TODAY)).isEqualTo(new DayRange(LocalDate.parse("2025-03-10"), TODAY));
    }

    @Test
    void aRangeHoldsAtMost366Days() {
        assertThat(DayRange.of("2024-01-01", "2024-12-31", TODAY).days()).hasSize(366);

        assertFieldError(() -> DayRange.of("2023-12-31", "2024-12-31", TODAY), "from");
        assertFieldError(() -> DayRange.of("2024-03-14", null, TODAY), "from");
    }

    @Test
    void fromAfterToIsRefused() {
        assertFieldError(() -> DayRange.of("2025-03-02", "2025-03-01", TODAY), "from");
        assertFieldError(() -> DayRange.of("2025-03-16", null, TODAY), "from");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2025-3-01", "2025-02-30", "2025-13-01", "20250301", "+12025-03-01", "2025-03-01T00:00Z",
            "٢٠٢٥-٠٣-٠١", "yesterday"})
    void aMalformedDateIsRefusedNamingItsParameter(String value) {
        assertFieldError(() -> DayRange.of(value, "2025-03-01", TODAY), "from");
        assertFieldError(() -> DayRange.of("2025-03-01", value, TODAY), "to");
    }

    @Test
    void bothMalformedAreBothNamed() {
        assertThatThrownBy(() -> DayRange.of("x", "y", TODAY))
                .isInstanceOfSatisfying(InvalidRequest.class, problem -> assertThat(fields(problem))
                        .containsExactly("from", "to"));
    }

    private static void assertFieldError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequest.class, problem -> {
            assertThat(problem.getStatusCode().value()).isEqualTo(400);
            assertThat(fields(problem)).containsExactly(field);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<String> fields(InvalidRequest problem) {
        return ((List<InvalidRequest.FieldError>) problem.getBody().getProperties().get("errors")).stream()
                .map(InvalidRequest.FieldError::field)
                .toList();
    }
}
