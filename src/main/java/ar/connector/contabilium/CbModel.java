package ar.connector.contabilium;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Contabilium's objects (PascalCase on the wire; read case-insensitively because some answers
 * come back in lowerCamel, and amounts may arrive as strings).
 */
public final class CbModel {

    private CbModel() {
    }

    /** {@code usuarios/obtenerinfo}: the seller. {@code IdProvincia} is read beyond the contract's fields. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record AccountInfo(String razonSocial, String cuit, String condicionIva, Boolean tieneFe, String email,
            Long idProvincia) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record CondicionVenta(Long id, String nombre, Boolean activa) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record PuntoDeVenta(Long id, String nombre, Integer punto, Boolean activo) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Deposito(Long id, String nombre, Boolean activo) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ListaDePrecios(Long id, String nombre, Boolean activa) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Provincia(Long id, String nombre) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Cliente(Long id, String razonSocial, String condicionIva, String tipoDoc, String nroDoc,
            String personeria, String email, String telefono, String domicilio, String cp, Long idPais,
            Long idProvincia, String ciudad) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Concepto(Long id, String codigo, String nombre, BigDecimal precio, BigDecimal precioFinal,
            Alicuota iva, BigDecimal stock, String estado, String tipo) {
    }

    /** The body of {@code POST /api/comprobantes/crear}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record ComprobanteRequest(long idCliente, String tipoFc, String modo, long puntoVenta,
            String condicionVenta, int tipoConcepto, Long inventario, String fechaEmision, String fechaVencimiento,
            String observaciones, String refExterna, Long idComprobanteAsociado, BigDecimal descuento,
            BigDecimal recargo, Object pagos, Object tributos, boolean fceMiPYME, List<Item> items) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Item(Long idConcepto, String codigo, String concepto, BigDecimal cantidad, BigDecimal precioUnitario,
            Alicuota iva, BigDecimal bonificacion) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Comprobante(Long id, Long idCliente, String razonSocial, String tipoFc, String modo,
            Long puntoVenta, String numero, String cae, String fechaEmision, String condicionVenta,
            String observaciones, String refExterna, Long idComprobanteAsociado, BigDecimal importeTotalBruto,
            BigDecimal importeTotalNeto, List<Item> items) {

        public boolean issued() {
            return cae != null && !cae.isBlank();
        }
    }

    /** The answer of {@code emitirFE}; a success carries a non-empty CAE. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record Emision(Long id, String cae, String numero, String fechaVencimientoCae, String linkPublico,
            String error, BigDecimal total) {

        public boolean granted() {
            return cae != null && !cae.isBlank();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record StockRow(Long idConcepto, String codigo, String nombre, BigDecimal stockActual,
            BigDecimal stockReservado, BigDecimal stockConReservas) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record StockBySku(Long id, String codigo, BigDecimal stockActual, BigDecimal stockReservado,
            BigDecimal stockConReservas, List<WarehouseStock> stock) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record WarehouseStock(Long id, String codigo, BigDecimal stockActual, BigDecimal stockReservado,
            BigDecimal stockConReservas) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.UpperCamelCaseStrategy.class)
    public record PriceListItem(String codigo, String nombre, BigDecimal precio, BigDecimal precioFinal,
            Alicuota iva) {
    }

    /** One page of a list endpoint. */
    public record Page<T>(List<T> items, long totalItems, long totalPage) {
    }
}
