package ar.connector.sandbox.contabilium;

/** An error answer: HTTP status plus {"Message": …}, the shape Contabilium uses. */
final class ApiError extends RuntimeException {

    final int status;

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }
}
