package dev.apikeys.runtime.problem;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception that leaves a controller into an {@code application/problem+json} answer
 * (RFC 9457). {@link ErrorResponseException}s (such as {@link InvalidRequest}) keep the
 * problem they carry; Spring MVC's own exceptions get fixed wording that names no class and echoes
 * no input; a failure caused by the database being out of reach is a 503 with Retry-After;
 * anything else unexpected is a bare 500, logged here. Ordered last, so a side's own advice
 * sees its exceptions first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    static final URI INTERNAL_ERROR_TYPE = URI.create("/problems/internal-error");

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    static ProblemDetail internalError() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request failed because of an error on the server.");
        problem.setType(INTERNAL_ERROR_TYPE);
        problem.setTitle("Internal error");
        return problem;
    }

    /** Spring Security's exception translation answers these (401 or 403 with WWW-Authenticate). */
    @ExceptionHandler({AuthenticationException.class, AccessDeniedException.class})
    void leaveToSecurity(RuntimeException exception) {
        throw exception;
    }

    /** The firewall checks a header's value when it is read, which may be deep inside Spring MVC. */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> handleRejected(RequestRejectedException exception, WebRequest request) {
        return createResponseEntity(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                ServletProblemWriter.REJECTED_DETAIL), new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(RequestBodyTooLarge.class)
    ResponseEntity<Object> handleBodyTooLarge(RequestBodyTooLarge exception, WebRequest request) {
        return createResponseEntity(RequestBodyLimitFilter.tooLarge(), new HttpHeaders(),
                HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception exception, WebRequest request) {
        Optional<Throwable> databaseUnavailable = DatabaseUnavailable.causeOf(exception);
        if (databaseUnavailable.isPresent()) {
            // Expected while the database is away, and once per request: one line, no stack trace.
            log.warn("Answered {} with 503, the database is unavailable: {}", describe(request),
                    databaseUnavailable.get().toString());
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, ProblemException.RETRY_AFTER_SECONDS);
            return createResponseEntity(DatabaseUnavailable.problem(), headers, HttpStatus.SERVICE_UNAVAILABLE, request);
        }
        log.error("Unexpected failure handling {}", describe(request), exception);
        return createResponseEntity(internalError(), new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyTooLarge tooLarge) {
                return handleBodyTooLarge(tooLarge, request);
            }
        }
        return createResponseEntity(unreadableBody(exception.getCause()), headers, HttpStatus.BAD_REQUEST, request);
    }

    private static ProblemDetail unreadableBody(@Nullable Throwable cause) {
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new InvalidRequest(jsonPath(mapping.getPath()), mismatchMessage(mapping)).getBody();
        }
        String detail;
        if (cause instanceof StreamReadException) {
            detail = "The request body is not valid JSON.";
        } else if (cause instanceof JsonMappingException) {
            detail = "The request body does not have the expected shape.";
        } else {
            detail = "The request body is missing or unreadable.";
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(InvalidRequest.TYPE);
        problem.setTitle("Invalid request");
        return problem;
    }

    /** {@code scopes[2]}, {@code owner.name}: the names as the client wrote them in its JSON. */
    private static String jsonPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String mismatchMessage(JsonMappingException exception) {
        if (exception instanceof PropertyBindingException) {
            return "is not a known field";
        }
        if (exception instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return expectedTypeMessage(mismatch.getTargetType());
        }
        return "is not valid";
    }

    /** What a value must look like, in the client's terms rather than Java's. */
    private static String expectedTypeMessage(@Nullable Class<?> type) {
        if (type == null) {
            return "is not valid";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "must be a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "must be a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "must be an RFC 3339 timestamp";
        }
        if (type.isEnum()) {
            return "is not one of the accepted values";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return type.isPrimitive() ? "is not valid" : "must be an object";
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException exception, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = exception instanceof MethodArgumentTypeMismatchException argument
                ? argument.getName() : exception.getPropertyName();
        return createResponseEntity(
                new InvalidRequest(field == null ? "" : field, expectedTypeMessage(exception.getRequiredType())).getBody(),
                headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        exception.getBody().setDetail("This method is not supported here; see the Allow header.");
        return super.handleHttpRequestMethodNotSupported(exception, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        exception.getBody().setDetail("This Content-Type is not supported here; see the Accept header.");
        return super.handleHttpMediaTypeNotSupported(exception, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        exception.getBody().setDetail("None of the media types in the Accept header can be produced here.");
        return super.handleHttpMediaTypeNotAcceptable(exception, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        exception.getBody().setDetail("There is no resource at this path.");
        return super.handleNoResourceFoundException(exception, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        exception.getBody().setDetail("There is no resource at this path.");
        return super.handleNoHandlerFoundException(exception, headers, status, request);
    }

    /**
     * The last stop of every handler above and of the base class: a server error that Spring MVC
     * raised itself (unwritable response, missing path variable, ...) is a bug here, so it is
     * logged and answered like any other unexpected exception. Server errors a side raised on
     * purpose, as an {@link ErrorResponseException}, keep their problem.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception exception, @Nullable Object body,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (status.value() == HttpStatus.INTERNAL_SERVER_ERROR.value() && !(exception instanceof ErrorResponseException)) {
            return handleUnexpected(exception, request);
        }
        return super.handleExceptionInternal(exception, body, headers, status, request);
    }

    /** Problem bodies are always {@code application/problem+json}, whatever the Accept header asked for. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        HttpHeaders problemHeaders = new HttpHeaders();
        problemHeaders.putAll(headers);
        if (body instanceof ProblemDetail) {
            problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        return new ResponseEntity<>(body, problemHeaders, status);
    }

    private static String describe(WebRequest request) {
        if (request instanceof NativeWebRequest nativeRequest
                && nativeRequest.getNativeRequest() instanceof HttpServletRequest servletRequest) {
            return servletRequest.getMethod() + " " + servletRequest.getRequestURI();
        }
        return request.getDescription(false);
    }
}
