package ar.connector.sandbox.contabilium;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One Contabilium account (a seller) and all its data. Test code seeds it through the public methods;
 * the HTTP layer drives the package-private business operations. Every state change holds the
 * account's monitor, so concurrent calls see consistent stock, numbering and documents.
 */
public final class SandboxAccount {

    static final Set<String> TIPOS_FC = Set.of("FCA", "FCB", "FCC", "NCA", "NCB", "NCC");
    /** The two IVA treatments that are not a rate: no IVA, and not a taxed operation either (unlike 0 %). */
    static final List<String> EXENCIONES = List.of("Exento", "No gravado");
    static final Set<BigDecimal> IVA_RATES = Set.of(new BigDecimal("0"), new BigDecimal("2.5"), new BigDecimal("5"),
            new BigDecimal("10.5"), new BigDecimal("21"), new BigDecimal("27"));
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    record PuntoDeVenta(long id, int punto, String nombre, boolean activo) {
    }

    record Named(long id, String nombre, boolean activo) {
    }

    /** {@code exencion}: null for a rate, else "Exento" or "No gravado" (then {@code iva} is 0). */
    record Concept(long id, String codigo, String nombre, BigDecimal precio, BigDecimal precioFinal, BigDecimal iva,
                   String exencion, String tipo, String estado) {
    }

    static final class Stock {
        BigDecimal actual = BigDecimal.ZERO;
        BigDecimal reservado = BigDecimal.ZERO;

        BigDecimal conReservas() {
            return actual.subtract(reservado).max(BigDecimal.ZERO);
        }
    }

    record ListPrice(BigDecimal precioFinal, BigDecimal iva) {
    }

    static final class PriceList {
        final long id;
        final String nombre;
        final Map<String, ListPrice> prices = new LinkedHashMap<>();

        PriceList(long id, String nombre) {
            this.id = id;
            this.nombre = nombre;
        }
    }

    /** What emitirFE answers: the (possibly issued) document, or an ARCA-style error and no CAE. */
    record EmitResult(SandboxDocument document, String error) {
    }

    private final ContabiliumSandbox sandbox;
    private final String email;
    private volatile String apiKey;
    private volatile String condicionIva;
    private final String razonSocial;
    private final String cuit;
    private volatile Integer idProvincia = Provincias.id("Capital Federal");

    private final Map<Long, PuntoDeVenta> puntos = new LinkedHashMap<>();
    private final Map<Long, Named> condiciones = new LinkedHashMap<>();
    private final Map<Long, Named> depositos = new LinkedHashMap<>();
    private final Map<String, Concept> concepts = new LinkedHashMap<>();
    /** deposito id -> upper-cased code -> stock. */
    private final Map<Long, Map<String, Stock>> stock = new HashMap<>();
    private final Map<Long, PriceList> priceLists = new LinkedHashMap<>();
    private final Map<Long, SandboxCustomer> customers = new LinkedHashMap<>();
    private final Map<Long, SandboxDocument> documents = new LinkedHashMap<>();
    /** AFIP numbers run per point of sale AND document type: "pvId:FCB" -> last number. */
    private final Map<String, Integer> lastNumber = new HashMap<>();
    final AtomicInteger emitirInFlight = new AtomicInteger();
    private int reissueAttempts;
    private volatile BigDecimal percepcion = BigDecimal.ZERO;
    /** Receptors ARCA's registry obliges to receive FCE MiPyME from this seller, with the amount from which. */
    private final Map<String, BigDecimal> fceReceptors = new HashMap<>();

    SandboxAccount(ContabiliumSandbox sandbox, String email, String apiKey, String condicionIva, String razonSocial,
                   String cuit) {
        requireSellerCondition(condicionIva);
        this.sandbox = sandbox;
        this.email = email;
        this.apiKey = apiKey;
        this.condicionIva = condicionIva;
        this.razonSocial = razonSocial;
        this.cuit = cuit;
    }

    // ------------------------------------------------------------------ test-facing API

    public String email() {
        return email;
    }

    public String apiKey() {
        return apiKey;
    }

    /** RI, MO, EX, or null for an account that has not set it (obtenerinfo then leaves CondicionIVA out). */
    public String condicionIva() {
        return condicionIva;
    }

    /** The seller changes its IVA condition in Contabilium (RI, MO, EX, or null for not set). */
    public void setCondicionIva(String condicionIva) {
        requireSellerCondition(condicionIva);
        this.condicionIva = condicionIva;
    }

    public String razonSocial() {
        return razonSocial;
    }

    /** The seller's province ({@code IdProvincia} in obtenerinfo); default Capital Federal. */
    public Integer idProvincia() {
        return idProvincia;
    }

    /** Null makes obtenerinfo leave {@code IdProvincia} out. */
    public void setIdProvincia(Integer idProvincia) {
        this.idProvincia = idProvincia;
    }

    public String cuit() {
        return cuit;
    }

    /** Like regenerating the key in Contabilium: the old key and every token issued with it stop working at once. */
    public void regenerateKey(String newKey) {
        this.apiKey = newKey;
        sandbox.revokeTokens(email);
    }

    /** A typical account: point of sale Id 1 (AFIP Punto 3, "Web"), Contado/MercadoPago, warehouse 1, ENVIO at 21%. */
    public SandboxAccount seedDefaults() {
        addPuntoDeVenta(1, 3, "Web");
        addCondicionVenta(1, "Contado");
        addCondicionVenta(2, "MercadoPago");
        addDeposito(1, "Principal");
        addServicio("ENVIO", "Envío", BigDecimal.ZERO, new BigDecimal("21"));
        return this;
    }

    public synchronized void addPuntoDeVenta(long id, int punto, String nombre) {
        puntos.put(id, new PuntoDeVenta(id, punto, nombre, true));
    }

    public synchronized void setPuntoDeVentaActivo(long id, boolean activo) {
        PuntoDeVenta p = puntos.get(id);
        puntos.put(id, new PuntoDeVenta(id, p.punto(), p.nombre(), activo));
    }

    public synchronized void addCondicionVenta(long id, String nombre) {
        condiciones.put(id, new Named(id, nombre, true));
    }

    public synchronized void addDeposito(long id, String nombre) {
        depositos.put(id, new Named(id, nombre, true));
    }

    /** A product (Tipo Producto, Activo); {@code Precio} (net) is derived from the final price, 2 decimals. */
    public synchronized long addConcepto(String codigo, String nombre, BigDecimal precioFinal, BigDecimal iva) {
        return putConcept(codigo, nombre, precioFinal, iva, null, "Producto");
    }

    /** A product whose IVA is not a rate: {@code exencion} "Exento" or "No gravado"; Precio = PrecioFinal. */
    public synchronized long addConceptoSinIva(String codigo, String nombre, BigDecimal precioFinal, String exencion) {
        if (!EXENCIONES.contains(exencion)) {
            throw new IllegalArgumentException("exencion must be one of " + EXENCIONES + ": " + exencion);
        }
        return putConcept(codigo, nombre, precioFinal, BigDecimal.ZERO, exencion, "Producto");
    }

    /** A service (no stock), e.g. ENVIO. */
    public synchronized long addServicio(String codigo, String nombre, BigDecimal precioFinal, BigDecimal iva) {
        return putConcept(codigo, nombre, precioFinal, iva, null, "Servicio");
    }

    public synchronized void setConceptoActivo(String codigo, boolean activo) {
        Concept c = concepts.get(key(codigo));
        concepts.put(key(codigo), new Concept(c.id(), c.codigo(), c.nombre(), c.precio(), c.precioFinal(), c.iva(),
                c.exencion(), c.tipo(), activo ? "Activo" : "Inactivo"));
    }

    public synchronized void setStock(long depositoId, String codigo, int actual, int reservado) {
        requireDeposito(depositoId);
        Stock s = stockOf(depositoId, key(codigo));
        s.actual = BigDecimal.valueOf(actual);
        s.reservado = BigDecimal.valueOf(reservado);
    }

    /** Current StockActual of a code in a warehouse (0 when never set). */
    public synchronized BigDecimal stockActual(long depositoId, String codigo) {
        Stock s = stock.getOrDefault(depositoId, Map.of()).get(key(codigo));
        return s == null ? BigDecimal.ZERO : Json.plain(s.actual);
    }

    public synchronized void addPriceList(long id, String nombre) {
        priceLists.put(id, new PriceList(id, nombre));
    }

    public synchronized void setListPrice(long listId, String codigo, BigDecimal precioFinal, BigDecimal iva) {
        PriceList list = priceLists.get(listId);
        if (list == null) {
            throw new IllegalArgumentException("no price list " + listId);
        }
        list.prices.put(key(codigo), new ListPrice(precioFinal, iva));
    }

    /** Seeds a customer directly (no duplicate check); returns its Id. */
    public synchronized long addCustomer(String razonSocial, String condicionIva, String tipoDoc, String nroDoc) {
        long id = sandbox.nextCustomerId();
        customers.put(id, new SandboxCustomer(id, razonSocial, condicionIva, tipoDoc, nroDoc, null, null, null, null,
                10, null, null));
        return id;
    }

    /**
     * {@code count} issued invoices (FCB, one ENVIO line of 121.00) dated {@code day}, numbered after the last
     * ones of point of sale 1, as an account with a busy history holds them. Seeded directly, without calls.
     */
    public synchronized void addIssuedInvoices(LocalDate day, int count) {
        long customer = customers.values().stream().filter(c -> "CF".equals(c.condicionIva())).map(SandboxCustomer::id)
                .findFirst().orElseGet(() -> addCustomer("Consumidor Final", "CF", "DNI", "99999999"));
        PuntoDeVenta punto = puntos.values().iterator().next();
        for (int i = 0; i < count; i++) {
            long id = sandbox.nextDocumentId();
            int n = lastNumber.merge(punto.id() + ":FCB", 1, Integer::sum);
            SandboxDocument.Line line = new SandboxDocument.Line(null, "ENVIO", "Envío", BigDecimal.ONE,
                    new BigDecimal("100"), new BigDecimal("21"), null, BigDecimal.ZERO);
            SandboxDocument draft = new SandboxDocument(id, customer, customers.get(customer).razonSocial(), "FCB", "E",
                    punto.id(), null, null, null, day + "T00:00:00", "Contado", "Venta de mostrador", null, null, null,
                    new BigDecimal("100.00"), new BigDecimal("121.00"), List.of(line), null, null);
            documents.put(id, draft.issue(String.format("%04d-%08d", punto.punto(), n), sandbox.nextCae(),
                    day.plusDays(10) + "T00:00:00", day, null));
        }
    }

    public synchronized List<SandboxCustomer> customers() {
        return List.copyOf(customers.values());
    }

    public synchronized List<SandboxDocument> documents() {
        return List.copyOf(documents.values());
    }

    public synchronized Optional<SandboxDocument> document(long id) {
        return Optional.ofNullable(documents.get(id));
    }

    /** Invoices (FC*) that hold a CAE. */
    public synchronized List<SandboxDocument> issuedInvoices() {
        return documents.values().stream().filter(d -> d.issued() && !d.creditNote()).toList();
    }

    /** Credit notes (NC*) that hold a CAE. */
    public synchronized List<SandboxDocument> issuedCreditNotes() {
        return documents.values().stream().filter(d -> d.issued() && d.creditNote()).toList();
    }

    public synchronized List<SandboxDocument> drafts() {
        return documents.values().stream().filter(d -> !d.issued()).toList();
    }

    /**
     * ARCA's registry lists {@code cuit} as a large company this (MiPyME) seller must invoice with Factura de
     * Crédito Electrónica from {@code amount}: a plain Factura A to it of that total or more is refused (10192).
     */
    public synchronized void requireFceMiPyme(String cuit, BigDecimal amount) {
        fceReceptors.put(cuit, amount);
    }

    /**
     * The account charges an IIBB perception of {@code percent} on the net of every invoice, as Contabilium adds
     * the perceptions an account is set up for: its documents then total more than their lines.
     */
    public void setPercepcion(BigDecimal percent) {
        this.percepcion = percent;
    }

    /** How often emitirFE was called on a document that already had a CAE (a blind retry). */
    public synchronized int reissueAttempts() {
        return reissueAttempts;
    }

    // ------------------------------------------------------------------ reference data (HTTP layer)

    synchronized List<PuntoDeVenta> puntos() {
        return List.copyOf(puntos.values());
    }

    synchronized List<Named> condiciones() {
        return List.copyOf(condiciones.values());
    }

    synchronized List<Named> depositos() {
        return List.copyOf(depositos.values());
    }

    synchronized List<PriceList> priceLists() {
        return List.copyOf(priceLists.values());
    }

    synchronized Optional<PriceList> priceList(long id) {
        return Optional.ofNullable(priceLists.get(id));
    }

    synchronized Optional<Concept> concept(String codigo) {
        return Optional.ofNullable(concepts.get(key(codigo)));
    }

    synchronized List<Concept> searchConcepts(String filtro) {
        String f = filtro == null ? "" : filtro.toLowerCase(Locale.ROOT);
        return concepts.values().stream()
                .filter(c -> f.isEmpty() || c.codigo().toLowerCase(Locale.ROOT).contains(f)
                        || c.nombre().toLowerCase(Locale.ROOT).contains(f))
                .toList();
    }

    /** Total StockActual of a code over all warehouses (the concept's {@code Stock}). */
    synchronized BigDecimal totalStock(String codigo) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Map<String, Stock> byCode : stock.values()) {
            Stock s = byCode.get(key(codigo));
            if (s != null) {
                sum = sum.add(s.actual);
            }
        }
        return Json.plain(sum);
    }

    /** Rows for getStockByDeposito: every product concept, zero stock included. */
    synchronized List<Object[]> stockRows(long depositoId) {
        if (!depositos.containsKey(depositoId)) {
            throw new ApiError(404, "El depósito no existe");
        }
        List<Object[]> rows = new ArrayList<>();
        for (Concept c : concepts.values()) {
            if ("Producto".equals(c.tipo())) {
                rows.add(new Object[] {c, stock.getOrDefault(depositoId, Map.of()).getOrDefault(c.codigo(), new Stock())});
            }
        }
        return rows;
    }

    /** For getStockBySKU: the concept and its stock in every warehouse (404 unknown). */
    synchronized Map<Named, Stock> stockBySku(String codigo) {
        Concept c = concepts.get(key(codigo));
        if (c == null || !"Producto".equals(c.tipo())) {
            throw new ApiError(404, "El producto no existe");
        }
        Map<Named, Stock> out = new LinkedHashMap<>();
        for (Named d : depositos.values()) {
            Stock s = stock.getOrDefault(d.id(), Map.of()).get(c.codigo());
            out.put(d, s == null ? new Stock() : s);
        }
        return out;
    }

    // ------------------------------------------------------------------ customers

    synchronized Optional<SandboxCustomer> customer(long id) {
        return Optional.ofNullable(customers.get(id));
    }

    synchronized Optional<SandboxCustomer> customerByDoc(String tipoDoc, String nroDoc) {
        return customers.values().stream()
                .filter(c -> c.tipoDoc() != null && c.tipoDoc().equalsIgnoreCase(tipoDoc)
                        && c.nroDoc() != null && c.nroDoc().equals(nroDoc))
                .findFirst();
    }

    synchronized List<SandboxCustomer> searchCustomers(String filtro) {
        String f = filtro == null ? "" : filtro.toLowerCase(Locale.ROOT);
        Predicate<String> has = s -> s != null && s.toLowerCase(Locale.ROOT).contains(f);
        return customers.values().stream()
                .filter(c -> f.isEmpty() || has.test(c.razonSocial()) || has.test(c.nroDoc()) || has.test(c.email()))
                .toList();
    }

    synchronized SandboxCustomer createCustomer(JsonNode body) {
        SandboxCustomer c = readCustomer(sandbox.nextCustomerId(), body);
        rejectDuplicate(c);
        customers.put(c.id(), c);
        return c;
    }

    synchronized SandboxCustomer updateCustomer(long id, JsonNode body) {
        if (!customers.containsKey(id)) {
            throw new ApiError(404, "El cliente no existe");
        }
        SandboxCustomer c = readCustomer(id, body);
        rejectDuplicate(c);
        customers.put(id, c);
        return c;
    }

    private void rejectDuplicate(SandboxCustomer c) {
        boolean taken = customers.values().stream().anyMatch(o -> o.id() != c.id()
                && o.tipoDoc().equalsIgnoreCase(c.tipoDoc()) && o.nroDoc().equals(c.nroDoc()));
        if (taken) {
            // Contabilium reports this business error as a 500.
            throw new ApiError(500, "El cliente ya se encuentra registrado");
        }
    }

    private static SandboxCustomer readCustomer(long id, JsonNode b) {
        String razon = Json.text(b, "RazonSocial");
        if (razon == null || razon.isBlank()) {
            throw new ApiError(400, "La razón social es obligatoria");
        }
        String cond = upper(Json.text(b, "CondicionIva"));
        if (!Set.of("RI", "MO", "EX", "CF").contains(String.valueOf(cond))) {
            throw new ApiError(400, "La condición de IVA no es válida");
        }
        String tipoDoc = upper(Json.text(b, "TipoDoc"));
        if (!Set.of("DNI", "CUIT").contains(String.valueOf(tipoDoc))) {
            throw new ApiError(400, "El tipo de documento no es válido");
        }
        String nroDoc = Json.text(b, "NroDoc");
        if (nroDoc == null || !nroDoc.matches("\\d{1,11}")) {
            throw new ApiError(400, "El número de documento no es válido");
        }
        Long pais = Json.longValue(b, "IdPais");
        Long prov = Json.longValue(b, "IdProvincia");
        String domicilio = Json.text(b, "Domicilio");
        if (pais == null || prov == null || domicilio == null) {
            // Contabilium's server upper-cases the address and looks the country and province up without a
            // null check: a customer without them fails as an internal error, not as a validation message.
            throw new ApiError(500, "Referencia a objeto no establecida como instancia de un objeto.");
        }
        return new SandboxCustomer(id, razon, cond, tipoDoc, nroDoc, Json.text(b, "Email"), Json.text(b, "Telefono"),
                domicilio, Json.text(b, "Cp"), pais.intValue(), prov.intValue(), Json.text(b, "Ciudad"));
    }

    // ------------------------------------------------------------------ documents

    /** POST /api/comprobantes/crear: validate, compute totals per the contract rule, move stock, store a draft. */
    synchronized SandboxDocument crear(JsonNode b) {
        String tipoFc = upper(Json.text(b, "TipoFc"));
        if (tipoFc == null || !TIPOS_FC.contains(tipoFc)) {
            throw new ApiError(400, "El tipo de comprobante no es válido");
        }
        String modo = Optional.ofNullable(upper(Json.text(b, "Modo"))).orElse("E");
        if (!Set.of("E", "T").contains(modo)) {
            throw new ApiError(400, "El modo no es válido");
        }
        Long idCliente = Json.longValue(b, "IdCliente");
        SandboxCustomer cliente = idCliente == null ? null : customers.get(idCliente);
        if (cliente == null) {
            throw new ApiError(500, "El cliente no existe");
        }
        Long pv = Json.longValue(b, "PuntoVenta");
        PuntoDeVenta punto = pv == null ? null : puntos.get(pv);
        if (punto == null || !punto.activo()) {
            throw new ApiError(500, "El punto de venta no existe o no está activo");
        }
        String condName = Json.text(b, "CondicionVenta");
        Named cond = condiciones.values().stream()
                .filter(c -> c.activo() && c.nombre().equalsIgnoreCase(String.valueOf(condName))).findFirst()
                .orElseThrow(() -> new ApiError(500, "La condición de venta no existe"));
        Long inventario = Json.longValue(b, "Inventario");
        if (inventario != null && inventario != 0 && !depositos.containsKey(inventario)) {
            throw new ApiError(500, "El depósito no existe");
        }
        String fecha = Json.text(b, "FechaEmision");
        if (fecha == null || fecha.isBlank()) {
            fecha = sandbox.today() + "T00:00:00";
        }
        try {
            LocalDate.parse(fecha.length() >= 10 ? fecha.substring(0, 10) : fecha);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "La fecha de emisión no es válida");
        }
        Long asociado = Json.longValue(b, "IdComprobanteAsociado");
        if (asociado != null && asociado == 0) {
            asociado = null;
        }
        if (tipoFc.startsWith("NC")) {
            SandboxDocument inv = asociado == null ? null : documents.get(asociado);
            if (inv == null || !inv.issued() || inv.creditNote() || inv.letter() != tipoFc.charAt(2)) {
                throw new ApiError(500, "Una nota de crédito debe asociarse a una factura emitida de la misma letra");
            }
        }
        List<SandboxDocument.Line> lines = readLines(Json.field(b, "Items"));
        BigDecimal bruto = BigDecimal.ZERO;
        BigDecimal total = BigDecimal.ZERO;
        for (SandboxDocument.Line l : lines) {
            BigDecimal[] t = lineTotals(l);
            bruto = bruto.add(t[0]);
            total = total.add(t[0]).add(t[1]);
        }
        if (percepcion.signum() > 0 && !tipoFc.startsWith("NC")) {
            total = total.add(bruto.multiply(percepcion).divide(HUNDRED).setScale(2, RoundingMode.HALF_UP));
        }
        Long warehouse = inventario != null && inventario != 0 ? inventario
                : depositos.keySet().stream().findFirst().orElse(null);
        SandboxDocument doc = new SandboxDocument(sandbox.nextDocumentId(), cliente.id(), cliente.razonSocial(),
                tipoFc, modo, punto.id(), null, null, null, fecha, cond.nombre(), Json.text(b, "Observaciones"),
                Json.text(b, "RefExterna"), asociado, warehouse, bruto, total, lines, null, null);
        moveStock(doc, false);
        documents.put(doc.id(), doc);
        return doc;
    }

    /** The contract's rounding rule: neto and iva per line, each rounded to 2 decimals half up. */
    static BigDecimal[] lineTotals(SandboxDocument.Line l) {
        BigDecimal factor = BigDecimal.ONE.subtract(l.bonificacion().divide(HUNDRED));
        BigDecimal neto = l.precioUnitario().multiply(l.cantidad()).multiply(factor).setScale(2, RoundingMode.HALF_UP);
        BigDecimal iva = neto.multiply(l.iva()).divide(HUNDRED).setScale(2, RoundingMode.HALF_UP);
        return new BigDecimal[] {neto, iva};
    }

    private List<SandboxDocument.Line> readLines(JsonNode items) {
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new ApiError(400, "El comprobante debe tener al menos un ítem");
        }
        List<SandboxDocument.Line> out = new ArrayList<>();
        for (JsonNode it : items) {
            Long idConcepto = Json.longValue(it, "IdConcepto");
            if (idConcepto != null && idConcepto == 0) {
                idConcepto = null;
            }
            if (idConcepto != null) {
                long wanted = idConcepto;
                if (concepts.values().stream().noneMatch(c -> c.id() == wanted)) {
                    throw new ApiError(500, "El concepto " + wanted + " no existe");
                }
            }
            BigDecimal cantidad = Json.decimal(it, "Cantidad");
            if (cantidad == null || cantidad.signum() <= 0) {
                throw new ApiError(400, "La cantidad debe ser mayor a cero");
            }
            BigDecimal precio = Json.decimal(it, "PrecioUnitario");
            if (precio == null || precio.signum() < 0 || precio.stripTrailingZeros().scale() > 4) {
                throw new ApiError(400, "El precio unitario no es válido (hasta 4 decimales)");
            }
            String exencion = exencion(Json.text(it, "Iva"));
            BigDecimal iva = exencion != null ? BigDecimal.ZERO
                    : Optional.ofNullable(Json.decimal(it, "Iva")).orElse(BigDecimal.ZERO);
            if (IVA_RATES.stream().noneMatch(r -> r.compareTo(iva) == 0)) {
                throw new ApiError(400, "La alícuota de IVA no es válida: " + iva.toPlainString());
            }
            BigDecimal bonif = Optional.ofNullable(Json.decimal(it, "Bonificacion")).orElse(BigDecimal.ZERO);
            if (bonif.signum() < 0 || bonif.compareTo(HUNDRED) > 0 || bonif.stripTrailingZeros().scale() > 2) {
                throw new ApiError(400, "La bonificación debe estar entre 0 y 100 (hasta 2 decimales)");
            }
            String codigo = Json.text(it, "Codigo");
            out.add(new SandboxDocument.Line(idConcepto, codigo == null ? null : codigo.toUpperCase(Locale.ROOT),
                    Json.text(it, "Concepto"), cantidad, precio, iva, exencion, bonif));
        }
        return out;
    }

    /** "Exento" or "No gravado" when an item's {@code Iva} names one (case and accents aside), else null. */
    private static String exencion(String iva) {
        if (iva == null) {
            return null;
        }
        String plain = java.text.Normalizer.normalize(iva, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "").trim();
        return EXENCIONES.stream().filter(e -> e.equalsIgnoreCase(plain)).findFirst().orElse(null);
    }

    /** Invoices take goods out of the warehouse, credit notes put them back; {@code undo} reverses a draft's move. */
    private void moveStock(SandboxDocument doc, boolean undo) {
        if (doc.inventario() == null) {
            return;
        }
        int sign = (doc.creditNote() ? 1 : -1) * (undo ? -1 : 1);
        for (SandboxDocument.Line l : doc.items()) {
            Concept c = l.idConcepto() != null
                    ? concepts.values().stream().filter(x -> x.id() == l.idConcepto()).findFirst().orElse(null)
                    : l.codigo() == null ? null : concepts.get(key(l.codigo()));
            if (c != null && "Producto".equals(c.tipo())) {
                Stock s = stockOf(doc.inventario(), c.codigo());
                s.actual = s.actual.add(l.cantidad().multiply(BigDecimal.valueOf(sign)));
            }
        }
    }

    /**
     * GET emitirFE. ARCA-style rejections come back as an error string (HTTP 200, no CAE). Calling it on a
     * document that already holds a CAE is refused the same way ("ya fue emitido", no CAE): a connector
     * that retries blindly instead of reading the document back sees a failure, not a second success.
     */
    synchronized EmitResult emitir(long id, Map<String, Object> rules) {
        SandboxDocument d = documents.get(id);
        if (d == null) {
            throw new ApiError(404, "El comprobante no existe");
        }
        if (d.issued()) {
            reissueAttempts++;
            return new EmitResult(d, "El comprobante ya fue emitido (CAE " + d.cae() + ")");
        }
        String error = arcaCheck(d, rules);
        if (error != null) {
            return new EmitResult(d, error);
        }
        PuntoDeVenta punto = puntos.get(d.puntoVenta());
        int n = lastNumber.merge(d.puntoVenta() + ":" + d.tipoFc(), 1, Integer::sum);
        LocalDate today = sandbox.today();
        String numero = String.format("%04d-%08d", punto.punto(), n);
        SandboxDocument issued = d.issue(numero, sandbox.nextCae(), today.plusDays(10) + "T00:00:00", today,
                sandbox.publicLink(this, id));
        documents.put(id, issued);
        return new EmitResult(issued, null);
    }

    private String arcaCheck(SandboxDocument d, Map<String, Object> rules) {
        boolean sellerRi = "RI".equals(condicionIva);
        char letter = d.letter();
        if ((letter == 'C') == sellerRi) {
            return "10013: El tipo de comprobante " + d.tipoFc() + " no corresponde a la condición frente al IVA del emisor";
        }
        SandboxCustomer c = customers.get(d.idCliente());
        if (letter == 'A' && (!"CUIT".equalsIgnoreCase(c.tipoDoc()) || !validCuit(c.nroDoc())
                || !Set.of("RI", "MO").contains(c.condicionIva()))) {
            return "10015: Para comprobantes clase A el receptor debe ser Responsable Inscripto o Monotributista con CUIT válida";
        }
        BigDecimal fceFrom = letter == 'A' ? fceReceptors.get(c.nroDoc()) : null;
        if (fceFrom != null && d.importeTotalNeto().compareTo(fceFrom) >= 0) {
            return "10192: El receptor del comprobante está obligado a recibir Facturas de Crédito Electrónicas "
                    + "MiPyMEs (FCE) por el monto informado; corresponde emitir un comprobante FCE";
        }
        if (letter == 'C' && d.items().stream().anyMatch(l -> l.iva().signum() != 0)) {
            return "10071: Los comprobantes clase C no deben informar IVA";
        }
        BigDecimal threshold = (BigDecimal) rules.get("threshold");
        // Contabilium's generic consumidor final (99999999) reaches ARCA as "sin identificar", like no number.
        if (letter == 'B' && "CF".equals(c.condicionIva()) && d.importeTotalNeto().compareTo(threshold) >= 0
                && (c.nroDoc() == null || c.nroDoc().matches("0*|99999999"))) {
            return "10069: Para un consumidor final de " + threshold.toPlainString() + " o más debe informarse el documento";
        }
        if (Boolean.TRUE.equals(rules.get("dateChecks"))) {
            LocalDate fecha = d.fechaEmisionDate();
            LocalDate today = sandbox.today();
            if (fecha.isBefore(today.minusDays(5)) || fecha.isAfter(today.plusDays(5))) {
                return "10016: La fecha del comprobante debe estar dentro de los 5 días anteriores o posteriores a la fecha de generación";
            }
            boolean later = documents.values().stream().anyMatch(o -> o.issued() && o.puntoVenta() == d.puntoVenta()
                    && o.tipoFc().equals(d.tipoFc()) && o.fechaEmisionDate().isAfter(fecha));
            if (later) {
                return "10017: La fecha del comprobante no puede ser anterior a la del último comprobante emitido";
            }
        }
        return null;
    }

    /** DELETE: drafts only; the stock they moved goes back. */
    synchronized void delete(long id) {
        SandboxDocument d = documents.get(id);
        if (d == null) {
            throw new ApiError(404, "El comprobante no existe");
        }
        if (d.issued()) {
            throw new ApiError(500, "No se puede eliminar un comprobante emitido electrónicamente; anúlelo con una nota de crédito");
        }
        moveStock(d, true);
        documents.remove(id);
    }

    /** Search: filtro matches the customer name and the number only (never RefExterna), dates by FechaEmision. */
    synchronized List<SandboxDocument> searchDocuments(String filtro, LocalDate desde, LocalDate hasta) {
        String f = filtro == null ? "" : filtro.toLowerCase(Locale.ROOT);
        return documents.values().stream()
                .filter(d -> !d.fechaEmisionDate().isBefore(desde) && !d.fechaEmisionDate().isAfter(hasta))
                .filter(d -> f.isEmpty() || d.razonSocial().toLowerCase(Locale.ROOT).contains(f)
                        || (d.numero() != null && d.numero().contains(f)))
                .toList();
    }

    synchronized Optional<Concept> conceptById(long id) {
        return concepts.values().stream().filter(c -> c.id() == id).findFirst();
    }

    synchronized int puntoOf(long puntoVentaId) {
        PuntoDeVenta p = puntos.get(puntoVentaId);
        return p == null ? 0 : p.punto();
    }

    // ------------------------------------------------------------------ helpers

    /** ARCA's mod-11 check digit for an 11-digit CUIT. */
    static boolean validCuit(String cuit) {
        if (cuit == null || !cuit.matches("\\d{11}")) {
            return false;
        }
        int[] w = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += (cuit.charAt(i) - '0') * w[i];
        }
        int check = 11 - sum % 11;
        check = check == 11 ? 0 : check == 10 ? 9 : check;
        return check == cuit.charAt(10) - '0';
    }

    private static void requireSellerCondition(String condicionIva) {
        if (condicionIva != null && !Set.of("RI", "MO", "EX").contains(condicionIva)) {
            throw new IllegalArgumentException("condicionIva must be RI, MO, EX or null (not set): " + condicionIva);
        }
    }

    private long putConcept(String codigo, String nombre, BigDecimal precioFinal, BigDecimal iva, String exencion,
                            String tipo) {
        String k = key(codigo);
        Concept old = concepts.get(k);
        long id = old != null ? old.id() : sandbox.nextConceptId();
        BigDecimal precio = precioFinal.divide(BigDecimal.ONE.add(iva.divide(HUNDRED)), 2, RoundingMode.HALF_UP);
        concepts.put(k, new Concept(id, k, nombre, precio, precioFinal, iva, exencion, tipo, "Activo"));
        return id;
    }

    private Stock stockOf(long depositoId, String code) {
        return stock.computeIfAbsent(depositoId, x -> new LinkedHashMap<>()).computeIfAbsent(code, x -> new Stock());
    }

    private void requireDeposito(long id) {
        if (!depositos.containsKey(id)) {
            throw new IllegalArgumentException("no deposito " + id);
        }
    }

    private static String key(String codigo) {
        return codigo.trim().toUpperCase(Locale.ROOT);
    }

    private static String upper(String s) {
        return s == null ? null : s.trim().toUpperCase(Locale.ROOT);
    }
}
