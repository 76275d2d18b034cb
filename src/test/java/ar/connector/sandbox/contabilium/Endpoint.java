package ar.connector.sandbox.contabilium;

import java.util.Optional;

/** Every call of the Contabilium contract the sandbox serves, by HTTP method and path (case-insensitive, like IIS). */
public enum Endpoint {
    TOKEN("POST", "/token"),
    OBTENER_INFO("GET", "/api/usuarios/obtenerinfo"),
    CONDICIONES_VENTA("GET", "/api/usuarios/condicionesVenta"),
    PUNTOS_DE_VENTA("GET", "/api/puntosdeventa/search"),
    DEPOSITOS("GET", "/api/inventarios/getDepositos"),
    LISTAS_SEARCH("GET", "/api/listasDePrecio/search"),
    LISTA_GET("GET", "/api/listasDePrecio/getById"),
    PROVINCIAS("GET", "/api/common/provincias"),
    MONEDAS("GET", "/api/monedas/search"),
    CLIENTE_BY_DOC("GET", "/api/clientes/GetClientByDoc"),
    CLIENTE_SEARCH("GET", "/api/clientes/search"),
    CLIENTE_GET("GET", "/api/clientes"),
    CLIENTE_CREATE("POST", "/api/clientes"),
    CLIENTE_UPDATE("PUT", "/api/clientes"),
    CONCEPTO_BY_CODIGO("GET", "/api/conceptos/getByCodigo"),
    CONCEPTO_SEARCH("GET", "/api/conceptos/search"),
    CREAR("POST", "/api/comprobantes/crear"),
    EMITIR_FE("GET", "/api/comprobantes/emitirFE"),
    COMPROBANTE_GET("GET", "/api/comprobantes"),
    COMPROBANTE_SEARCH("GET", "/api/comprobantes/search"),
    COMPROBANTE_DELETE("DELETE", "/api/comprobantes"),
    OBTENER_PDF("GET", "/api/comprobantes/obtenerPdf"),
    STOCK_BY_DEPOSITO("GET", "/api/inventarios/getStockByDeposito"),
    STOCK_BY_SKU("GET", "/api/inventarios/getStockBySKU");

    private final String method;
    private final String path;

    Endpoint(String method, String path) {
        this.method = method;
        this.path = path;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The inventory calls have their own rate budget (contract, "Limits"). */
    public boolean inventory() {
        return path.toLowerCase().startsWith("/api/inventarios/");
    }

    static Optional<Endpoint> match(String method, String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        for (Endpoint e : values()) {
            if (e.method.equalsIgnoreCase(method) && e.path.equalsIgnoreCase(p)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
