package ar.connector.links;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.jumpseller.JsModel;
import ar.connector.jumpseller.JumpsellerClient;
import ar.connector.jumpseller.StoreCredentials;
import ar.connector.web.ApiException;
import ar.connector.web.FieldError;

/**
 * The live check of SPEC §2: both credentials work, and the point of sale, sale condition,
 * warehouse, price list and shipping concept exist in the account. A wrong value is a 422 naming
 * the field; an API that cannot be reached is a 503. Either way nothing is saved.
 */
@Component
public class LinkVerifier {

    private final ContabiliumClient contabilium;
    private final JumpsellerClient jumpseller;

    public LinkVerifier(ContabiliumClient contabilium, JumpsellerClient jumpseller) {
        this.contabilium = contabilium;
        this.jumpseller = jumpseller;
    }

    /** What the live check learned: values to store beside the request. */
    public record Verified(String hooksToken, String condicionDeVenta, Optional<Long> newestOrderId) {
    }

    public Verified verify(LinkRequest request) {
        List<FieldError> errors = new ArrayList<>();
        String condicion = request.settings().condicionDeVenta();
        try {
            condicion = checkContabilium(request, errors);
        } catch (ApiCallException e) {
            throw unreachable("Contabilium", e);
        }
        JsModel.Store store = null;
        Optional<Long> newest = Optional.empty();
        StoreCredentials credentials = new StoreCredentials(request.jumpseller().storeCode(),
                request.jumpseller().login(), request.jumpseller().authToken());
        try {
            store = jumpseller.storeInfo(credentials);
            if (store.code() != null && !store.code().equalsIgnoreCase(request.jumpseller().storeCode())) {
                errors.add(new FieldError("jumpseller.storeCode",
                        "these Jumpseller credentials belong to store '" + store.code() + "'"));
            } else {
                newest = jumpseller.newestOrderId(credentials);
            }
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.UNAUTHORIZED)) {
                errors.add(new FieldError("jumpseller.authToken", "Jumpseller refused this API login and token"));
            } else {
                throw unreachable("Jumpseller", e);
            }
        }
        String hooksToken = request.jumpseller().hooksToken();
        if (hooksToken == null && store != null) {
            hooksToken = store.hooksToken();
            if (hooksToken == null || hooksToken.isBlank()) {
                errors.add(new FieldError("jumpseller.hooksToken",
                        "the store did not disclose its hooks token: copy it from Admin > Settings > Notifications"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY,
                    "The accounts rejected: " + errors.stream().map(FieldError::field).collect(Collectors.joining(", ")),
                    errors);
        }
        return new Verified(hooksToken, condicion, newest);
    }

    private String checkContabilium(LinkRequest request, List<FieldError> errors) {
        ContabiliumAccount account = new ContabiliumAccount(request.contabilium().clientId(),
                request.contabilium().clientSecret());
        try {
            contabilium.verifyCredentials(account);
        } catch (ApiCallException e) {
            if (e.is(ApiCallException.Kind.UNAUTHORIZED)) {
                errors.add(new FieldError("contabilium.clientSecret", "Contabilium refused this API e-mail and key"));
                return request.settings().condicionDeVenta();
            }
            throw e;
        }
        LinkRequest.Settings s = request.settings();
        List<CbModel.PuntoDeVenta> puntos = contabilium.puntosDeVenta(account);
        if (puntos.stream().noneMatch(p -> s.puntoDeVentaId().equals(p.id()) && !Boolean.FALSE.equals(p.activo()))) {
            errors.add(new FieldError("settings.puntoDeVentaId", "no active point of sale with Id " + s.puntoDeVentaId()
                    + " in this account (there are: " + puntos.stream().map(p -> p.id() + " " + p.nombre())
                    .collect(Collectors.joining(", ")) + ")"));
        }
        List<CbModel.CondicionVenta> condiciones = contabilium.condicionesVenta(account);
        Optional<String> condicion = condiciones.stream()
                .filter(c -> c.nombre() != null && c.nombre().trim().equalsIgnoreCase(s.condicionDeVenta().trim()))
                .map(CbModel.CondicionVenta::nombre).findFirst();
        if (condicion.isEmpty()) {
            errors.add(new FieldError("settings.condicionDeVenta", "no sale condition named '" + s.condicionDeVenta()
                    + "' (there are: " + condiciones.stream().map(CbModel.CondicionVenta::nombre)
                    .collect(Collectors.joining(", ")) + ")"));
        }
        if (s.depositoId() != null) {
            List<CbModel.Deposito> depositos = contabilium.depositos(account);
            if (depositos.stream().noneMatch(d -> s.depositoId().equals(d.id()))) {
                errors.add(new FieldError("settings.depositoId", "no warehouse with Id " + s.depositoId()
                        + " (there are: " + depositos.stream().map(d -> d.id() + " " + d.nombre())
                        .collect(Collectors.joining(", ")) + ")"));
            }
        }
        if (s.listaDePreciosId() != null) {
            List<CbModel.ListaDePrecios> listas = contabilium.listasDePrecios(account);
            if (listas.stream().noneMatch(l -> s.listaDePreciosId().equals(l.id()))) {
                errors.add(new FieldError("settings.listaDePreciosId", "no price list with Id " + s.listaDePreciosId()));
            }
        }
        if (Boolean.TRUE.equals(s.includeShippingCost()) && contabilium.concepto(account, s.shippingConceptCode()).isEmpty()) {
            errors.add(new FieldError("settings.shippingConceptCode", "no product with code '" + s.shippingConceptCode()
                    + "' for the shipping line: create it in Contabilium or turn includeShippingCost off"));
        }
        return condicion.orElse(s.condicionDeVenta());
    }

    private static ApiException unreachable(String api, ApiCallException e) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, api + " could not be reached to check the link ("
                + e.getMessage() + "); nothing was saved, try again later");
    }
}
