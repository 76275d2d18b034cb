package ar.connector.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/** A request the admin API answers with a problem document: status, human detail and field errors. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldError> errors;

    public ApiException(HttpStatus status, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public ApiException(HttpStatus status, String detail) {
        this(status, detail, List.of());
    }

    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "The request has invalid fields: " + summary(errors), errors);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }

    static String summary(List<FieldError> errors) {
        return String.join(", ", errors.stream().map(FieldError::field).toList());
    }
}
