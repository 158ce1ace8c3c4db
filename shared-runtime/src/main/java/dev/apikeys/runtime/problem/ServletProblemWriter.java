package dev.apikeys.runtime.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Writes a problem straight to the servlet response, for the places that answer before Spring MVC
 * does: the security filters and the body size limit.
 */
@Component
public class ServletProblemWriter {

    /** For a request turned away before anything read it; it echoes nothing of what was sent. */
    public static final String REJECTED_DETAIL = "The request could not be processed: Bad Request.";

    private final ObjectMapper objectMapper;

    ServletProblemWriter(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** Writes a problem with the response's current status, which the caller has already set. */
    public void write(HttpServletResponse response, String detail) throws IOException {
        HttpStatus status = HttpStatus.valueOf(response.getStatus());
        write(response, ProblemDetail.forStatusAndDetail(status, detail));
    }

    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        objectMapper.writeValue(response.getOutputStream(), fields(problem));
    }

    /** The problem as its JSON, for a writer that cannot hand over a servlet response. */
    String json(ProblemDetail problem) throws IOException {
        return objectMapper.writeValueAsString(fields(problem));
    }

    private static Map<String, Object> fields(ProblemDetail problem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", problem.getType().toString());
        fields.put("title", problem.getTitle());
        fields.put("status", problem.getStatus());
        fields.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            fields.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            fields.putAll(problem.getProperties());
        }
        return fields;
    }
}
