package dev.apikeys.runtime.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

class InvalidRequestTest {

    @Test
    void listsEveryErrorUpToAHundred() {
        ProblemDetail problem = new InvalidRequest(errors(100)).getBody();

        assertThat((List<?>) problem.getProperties().get("errors")).isEqualTo(errors(100));
        assertThat(problem.getProperties()).doesNotContainKey("errors_not_listed");
        assertThat(problem.getDetail()).isEqualTo("The request has 100 invalid fields.");
    }

    @Test
    void listsTheFirstHundredAndCountsTheRest() {
        ProblemDetail problem = new InvalidRequest(errors(5_000)).getBody();

        assertThat((List<?>) problem.getProperties().get("errors")).isEqualTo(errors(100));
        assertThat(problem.getProperties()).containsEntry("errors_not_listed", 4_900);
        assertThat(problem.getDetail()).isEqualTo("The request has 5000 invalid fields; errors lists the first 100.");
    }

    private static List<FieldError> errors(int count) {
        return IntStream.range(0, count).mapToObj(i -> new FieldError("scopes[" + i + "]", "must be a string")).toList();
    }
}
