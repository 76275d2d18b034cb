package ar.connector.web;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/** Every admin API error as {@code application/problem+json}, with field errors under {@code errors}. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handle(ApiException e) {
        return problem(e.status(), e.getMessage(), e.errors());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = JsonErrors.fieldErrors(ex.getCause());
        String detail = errors.isEmpty()
                ? "The request body is not valid JSON of the expected shape"
                : "The request has invalid fields: " + ApiException.summary(errors);
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(HttpStatus.BAD_REQUEST, detail, errors));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
                .collect(Collectors.toList());
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(HttpStatus.BAD_REQUEST, "The request has invalid fields: " + ApiException.summary(errors), errors));
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, List<FieldError> errors) {
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(status, detail, errors));
    }

    private static ProblemDetail body(HttpStatus status, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    /** Turns Jackson's binding failures into field errors with dotted paths. */
    public static final class JsonErrors {
        private JsonErrors() {
        }

        public static List<FieldError> fieldErrors(Throwable cause) {
            if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                String path = mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
                String message = cause instanceof UnrecognizedPropertyException
                        ? "unknown field"
                        : "has the wrong type or format";
                return List.of(new FieldError(path, message));
            }
            return List.of();
        }
    }
}
