package ar.connector.links;

import java.util.Comparator;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.web.ApiException;
import ar.connector.web.FieldError;

/**
 * What a link's settings can choose from in one Contabilium account: its points of sale, sale
 * conditions, warehouses and price lists, read live, so a settings screen offers only values the
 * live check of {@link LinkVerifier} will accept. Inactive entries are left out.
 */
@Component
public class AccountOptions {

    private final ContabiliumClient contabilium;

    public AccountOptions(ContabiliumClient contabilium) {
        this.contabilium = contabilium;
    }

    public record Option(String value, String label) {
    }

    public record Options(List<Option> puntosDeVenta, List<Option> condicionesVenta, List<Option> depositos,
            List<Option> listasDePrecios) {
    }

    public record Credentials(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Credentials[" + clientId + "]";
        }
    }

    /** 400 without credentials, 422 when Contabilium refuses them, 503 when it cannot be reached. */
    public Options read(Credentials credentials) {
        if (credentials == null || blank(credentials.clientId()) || blank(credentials.clientSecret())) {
            throw ApiException.invalid(List.of(new FieldError(
                    credentials == null || blank(credentials.clientId()) ? "clientId" : "clientSecret", "must not be blank")));
        }
        ContabiliumAccount account = new ContabiliumAccount(credentials.clientId().trim(), credentials.clientSecret());
        try {
            contabilium.verifyCredentials(account);
            List<Option> puntos = contabilium.puntosDeVenta(account).stream()
                    .filter(p -> !Boolean.FALSE.equals(p.activo()))
                    .sorted(Comparator.comparing(CbModel.PuntoDeVenta::id))
                    .map(p -> new Option(String.valueOf(p.id()), label(p.punto(), p.nombre())))
                    .toList();
            List<Option> condiciones = contabilium.condicionesVenta(account).stream()
                    .filter(c -> c.nombre() != null && !Boolean.FALSE.equals(c.activa()))
                    .map(c -> new Option(c.nombre(), c.nombre()))
                    .toList();
            List<Option> depositos = contabilium.depositos(account).stream()
                    .filter(d -> !Boolean.FALSE.equals(d.activo()))
                    .sorted(Comparator.comparing(CbModel.Deposito::id))
                    .map(d -> new Option(String.valueOf(d.id()), d.nombre()))
                    .toList();
            List<Option> listas = contabilium.listasDePrecios(account).stream()
                    .filter(l -> !Boolean.FALSE.equals(l.activa()))
                    .sorted(Comparator.comparing(CbModel.ListaDePrecios::id))
                    .map(l -> new Option(String.valueOf(l.id()), l.nombre()))
                    .toList();
            return new Options(puntos, condiciones, depositos, listas);
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.UNAUTHORIZED)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "Contabilium refused this API e-mail and key",
                        List.of(new FieldError("clientSecret", "Contabilium refused this API e-mail and key")));
            }
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                    "Contabilium could not be reached (" + e.getMessage() + "); try again later");
        }
    }

    private static String label(Integer punto, String nombre) {
        String number = punto == null ? "" : String.format("%05d", punto);
        if (nombre == null || nombre.isBlank()) {
            return number;
        }
        return number.isEmpty() ? nombre : number + " – " + nombre;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
