package ar.connector.console;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import ar.connector.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Errors of console pages as a Spanish page with the console's look, never the admin API's
 * problem+json nor a stack trace. Only requests under {@code /console/} are handled here; everything
 * else falls through to the API's problem handler.
 */
@Component
class ConsoleErrors implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

    @Override
    public int getOrder() {
        // Right after Spring Boot's DefaultErrorAttributes (which only records the error), before
        // the @ExceptionHandler advice that answers problem+json.
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/console/")) {
            return null;
        }
        HttpStatus status;
        String message;
        if (ex instanceof ConsoleProblem problem) {
            status = problem.status();
            message = problem.getMessage();
        } else if (ex instanceof ApiException api) {
            status = api.status();
            message = ConsoleText.pageError(api);
        } else if (ex instanceof NoResourceFoundException) {
            status = HttpStatus.NOT_FOUND;
            message = ConsoleText.PAGE_NOT_FOUND;
        } else if (ex instanceof MethodArgumentTypeMismatchException || ex instanceof MissingServletRequestParameterException) {
            status = HttpStatus.BAD_REQUEST;
            message = "La dirección de esta página no es válida. Vuelva a la lista de tiendas y entre desde allí.";
        } else if (ex instanceof HttpRequestMethodNotSupportedException) {
            status = HttpStatus.METHOD_NOT_ALLOWED;
            message = "Esta página no acepta esa acción. Vuelva a la lista de tiendas y entre desde allí.";
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            message = "Algo salió mal y no pudimos mostrar esta página. Intente de nuevo; si vuelve a pasar, avise a quien opera el conector.";
            log.error("Console page {} failed", path, ex);
        }
        response.setStatus(status.value());
        return new ModelAndView("console/error", Map.of("status", status.value(), "message", message), status);
    }
}
