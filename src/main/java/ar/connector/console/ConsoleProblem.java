package ar.connector.console;

import org.springframework.http.HttpStatus;

/** A console request that cannot be served, with the Spanish words the merchant reads on the error page. */
class ConsoleProblem extends RuntimeException {

    private final HttpStatus status;

    ConsoleProblem(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }
}
