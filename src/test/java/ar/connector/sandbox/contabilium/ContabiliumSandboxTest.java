package ar.connector.sandbox.contabilium;

import static ar.connector.sandbox.contabilium.SandboxHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContabiliumSandboxTest {

    static final String EMAIL = "tienda@example.com";
    static final String KEY = "k-123";
    static final String RI_CUIT = "20123456786"; // valid mod-11
    static final String SELLER_CUIT = "30712345671";

    ContabiliumSandbox sandbox;
    SandboxAccount account;
    SandboxHttp cb;
    String today = LocalDate.now(ZoneId.of("America/Argentina/Buenos_Aires")).toString();

    @BeforeEach
    void start() {
        sandbox = ContabiliumSandbox.start();
        account = sandbox.addAccount(EMAIL, KEY, "RI", "Tienda SA", SELLER_CUIT).seedDefaults();
        cb = new SandboxHttp(sandbox.baseUrl()).login(EMAIL, KEY);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    // ------------------------------------------------------------------ auth

    @Test
    void tokenIsRequiredAndExpires() {
        HttpResponse<String> t = cb.token(EMAIL, KEY);
        assertThat(t.statusCode()).isEqualTo(200);
        assertThat(json(t).get("token_type").asText()).isEqualTo("bearer");
        assertThat(json(t).get("expires_in").asInt()).isEqualTo(86399);

        assertThat(cb.token(EMAIL, "wrong").statusCode()).isEqualTo(400);
        assertThat(json(cb.token(EMAIL, "wrong")).get("error").asText()).isEqualTo("invalid_client");

        assertThat(cb.get("/api/usuarios/obtenerinfo").statusCode()).isEqualTo(200);
        SandboxHttp anonymous = new SandboxHttp(sandbox.baseUrl());
        assertThat(anonymous.get("/api/usuarios/obtenerinfo").statusCode()).isEqualTo(401);

        sandbox.expireTokens();
        assertThat(cb.get("/api/usuarios/obtenerinfo").statusCode()).isEqualTo(401);
        cb.login(EMAIL, KEY);
        assertThat(cb.get("/api/usuarios/obtenerinfo").statusCode()).isEqualTo(200);
    }

    @Test
    void regeneratingTheKeyInvalidatesOldKeyAndTokensAtOnce() {
        account.regenerateKey("k-456");
        assertThat(cb.get("/api/usuarios/obtenerinfo").statusCode()).isEqualTo(401);
        assertThat(cb.token(EMAIL, KEY).statusCode()).isEqualTo(400);
        cb.login(EMAIL, "k-456");
        assertThat(cb.get("/api/usuarios/obtenerinfo").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ reference data

    @Test
    void anAccountWithoutIvaConditionAnswersObtenerinfoWithoutIt() {
        sandbox.addAccount("nueva@example.com", "k-9", null, "Nueva SA", SELLER_CUIT);
        JsonNode info = json(new SandboxHttp(sandbox.baseUrl()).login("nueva@example.com", "k-9")
                .get("/api/usuarios/obtenerinfo"));
        assertThat(info.has("CondicionIVA")).isFalse();
        assertThat(info.get("RazonSocial").asText()).isEqualTo("Nueva SA");
    }

    @Test
    void referenceData() {
        JsonNode info = json(cb.get("/api/usuarios/obtenerinfo"));
        assertThat(info.get("CondicionIVA").asText()).isEqualTo("RI");
        assertThat(info.get("IdProvincia").asInt()).isEqualTo(Provincias.id("Capital Federal"));
        assertThat(info.get("CUIT").asText()).isEqualTo(SELLER_CUIT);
        assertThat(json(cb.get("/api/usuarios/condicionesVenta")).findValuesAsText("Nombre"))
                .containsExactly("Contado", "MercadoPago");
        JsonNode pv = json(cb.get("/api/puntosdeventa/search")).get(0);
        assertThat(pv.get("Id").asLong()).isEqualTo(1);
        assertThat(pv.get("Punto").asInt()).isEqualTo(3);
        assertThat(json(cb.get("/api/inventarios/getDepositos")).get(0).get("Nombre").asText()).isEqualTo("Principal");
        JsonNode provincias = json(cb.get("/api/common/provincias?idPais=10"));
        assertThat(provincias).hasSize(24);
        assertThat(provincias.findValuesAsText("Nombre")).contains("Capital Federal", "Córdoba", "Tierra del Fuego");
        assertThat(json(cb.get("/api/monedas/search")).get(0).get("Nombre").asText()).isEqualTo("Peso argentino");
    }

    // ------------------------------------------------------------------ customers

    @Test
    void aCustomerWithoutCountryProvinceOrAddressFailsAsContabiliumsServerDoes() {
        String complete = customerBody("Ana Gómez", "CF", "DNI", "30111222");
        for (String missing : new String[] {"\"IdPais\":10,", "\"IdProvincia\":2,", "\"Domicilio\":\"Calle 1\","}) {
            HttpResponse<String> refused = cb.post("/api/clientes", complete.replace(missing, ""));
            assertThat(refused.statusCode()).as(missing).isEqualTo(500);
        }
        assertThat(account.customers()).isEmpty();
        assertThat(cb.post("/api/clientes", complete).statusCode()).isEqualTo(200);
    }

    @Test
    void customersCreateFindUpdateAndDuplicateRule() {
        String body = customerBody("Ana Gómez", "CF", "DNI", "30111222");
        HttpResponse<String> created = cb.post("/api/clientes", body);
        assertThat(created.statusCode()).isEqualTo(200);
        long id = Long.parseLong(created.body());

        HttpResponse<String> dup = cb.post("/api/clientes", body);
        assertThat(dup.statusCode()).isEqualTo(500);
        assertThat(json(dup).get("Message").asText()).isEqualTo("El cliente ya se encuentra registrado");

        HttpResponse<String> byDoc = cb.get("/api/clientes/GetClientByDoc?tipoDoc=DNI&nroDoc=30111222");
        assertThat(json(byDoc).get("Id").asLong()).isEqualTo(id);
        HttpResponse<String> missing = cb.get("/api/clientes/GetClientByDoc?tipoDoc=DNI&nroDoc=1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("Message").asText()).isEqualTo("El cliente no existe");

        JsonNode search = json(cb.get("/api/clientes/search?filtro=gómez&page=1&pageSize=50"));
        assertThat(search.get("TotalItems").asInt()).isEqualTo(1);
        assertThat(json(cb.get("/api/clientes/search?filtro=ana%40example.com")).get("TotalItems").asInt()).isEqualTo(1);

        assertThat(cb.put("/api/clientes?id=" + id, customerBody("Ana Gómez", "RI", "CUIT", RI_CUIT)).statusCode())
                .isEqualTo(200);
        JsonNode updated = json(cb.get("/api/clientes?id=" + id));
        assertThat(updated.get("CondicionIva").asText()).isEqualTo("RI");
        assertThat(updated.get("TipoDoc").asText()).isEqualTo("CUIT");
    }

    @Test
    void aDocumentAlreadyRegisteredIsRefusedAsContabiliumDoesWhateverElseDiffers() {
        // The connector registers new buyers directly and relies on this answer to look the customer up.
        long id = Long.parseLong(cb.post("/api/clientes", customerBody("Ana Gómez", "CF", "DNI", "30111222")).body());

        HttpResponse<String> dup = cb.post("/api/clientes", customerBody("Ana G. (otra tienda)", "MO", "DNI", "30111222"));
        assertThat(dup.statusCode()).isEqualTo(500);
        assertThat(json(dup).get("Message").asText()).isEqualTo("El cliente ya se encuentra registrado");
        assertThat(json(dup).has("Id")).isFalse();
        assertThat(account.customers()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.condicionIva()).isEqualTo("CF");
        });
        // Another document (a CUIT) is another customer, refused in turn the second time.
        assertThat(cb.post("/api/clientes", customerBody("Ana Gómez", "RI", "CUIT", RI_CUIT)).statusCode()).isEqualTo(200);
        assertThat(cb.post("/api/clientes", customerBody("Otro", "RI", "CUIT", RI_CUIT)).statusCode()).isEqualTo(500);
        assertThat(account.customers()).hasSize(2);
    }

    // ------------------------------------------------------------------ concepts

    @Test
    void conceptsByCodeAreCaseInsensitiveAndSearchListsAll() {
        account.addConcepto("rem-001", "Remera", new BigDecimal("12100"), new BigDecimal("21"));
        JsonNode c = json(cb.get("/api/conceptos/getByCodigo?codigo=Rem-001"));
        assertThat(c.get("Codigo").asText()).isEqualTo("REM-001");
        assertThat(c.get("Precio").decimalValue()).isEqualByComparingTo("10000");
        assertThat(c.get("Tipo").asText()).isEqualTo("Producto");
        assertThat(cb.get("/api/conceptos/getByCodigo?codigo=NOPE").statusCode()).isEqualTo(404);
        JsonNode all = json(cb.get("/api/conceptos/search?filtro=&page=1&pageSize=50"));
        assertThat(all.get("TotalItems").asInt()).isEqualTo(2); // REM-001 and ENVIO
    }

    @Test
    void exemptAndNotTaxedConceptsNameTheirIvaAndDocumentsKeepThemApartFromZero() {
        account.addConceptoSinIva("LIB-1", "Libro", new BigDecimal("5000"), "Exento");
        account.addConceptoSinIva("SEG-1", "Seguro", new BigDecimal("300"), "No gravado");
        assertThat(json(cb.get("/api/conceptos/getByCodigo?codigo=LIB-1")).get("Iva").asText()).isEqualTo("Exento");
        assertThat(json(cb.get("/api/conceptos/getByCodigo?codigo=SEG-1")).get("Iva").asText()).isEqualTo("No gravado");

        long cliente = account.addCustomer("Consumidor Final", "CF", "DNI", "30111222");
        long id = crear(cliente, "FCB", "r", item("LIB-1", 1, "5000", "\"Exento\"", "0") + ","
                + item("SEG-1", 1, "300", "\"no gravado\"", "0") + "," + item("EXP-1", 1, "10", "0", "0"));
        JsonNode doc = json(cb.get("/api/comprobantes?id=" + id));
        assertThat(doc.get("Items").findValuesAsText("Iva")).containsExactly("Exento", "No gravado", "0");
        assertThat(doc.get("ImporteTotalNeto").decimalValue()).isEqualByComparingTo("5310");
        assertThat(post(crearBody(cliente, "FCB", "r", item("X", 1, "1", "\"Exenta\"", "0"))).statusCode())
                .isEqualTo(400);
    }

    // ------------------------------------------------------------------ documents

    @Test
    void crearComputesTotalsPerLineWithHalfUpRounding() {
        long cliente = account.addCustomer("Consumidor Final", "CF", "DNI", "30111222");
        // 3 × 1652.8926 × 0.875 = 4338.843075 -> 4338.84; IVA 911.1564 -> 911.16
        // 1 × 826.4463 -> 826.45; IVA 173.5545 -> 173.55
        long id = crear(cliente, "FCB", "ref-1",
                item("REM-001", 3, "1652.8926", "21", "12.5") + "," + item("ENVIO", 1, "826.4463", "21", "0"));
        JsonNode doc = json(cb.get("/api/comprobantes?id=" + id));
        assertThat(doc.get("ImporteTotalBruto").decimalValue()).isEqualByComparingTo("5165.29");
        assertThat(doc.get("ImporteTotalNeto").decimalValue()).isEqualByComparingTo("6250.00");
        assertThat(doc.get("RefExterna").asText()).isEqualTo("ref-1");
        assertThat(doc.get("Cae").isNull()).isTrue();
        assertThat(doc.get("Items")).hasSize(2);
        assertThat(doc.get("FechaEmision").asText()).isEqualTo(today + "T00:00:00");
    }

    @Test
    void crearValidatesItsInput() {
        long cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        assertThat(post(crearBody(cliente, "FCX", "r", item("X", 1, "1", "21", "0"))).statusCode()).isEqualTo(400);
        assertThat(post(crearBody(cliente, "FCB", "r", item("X", 1, "1", "22", "0"))).statusCode()).isEqualTo(400);
        assertThat(post(crearBody(cliente, "FCB", "r", item("X", 1, "1", "21", "101"))).statusCode()).isEqualTo(400);
        assertThat(post(crearBody(999, "FCB", "r", item("X", 1, "1", "21", "0"))).statusCode()).isEqualTo(500);
        account.setPuntoDeVentaActivo(1, false);
        assertThat(post(crearBody(cliente, "FCB", "r", item("X", 1, "1", "21", "0"))).statusCode()).isEqualTo(500);
        assertThat(account.documents()).isEmpty();
    }

    @Test
    void emitirNumbersSequentiallyPerPointOfSaleAndType() {
        account.addPuntoDeVenta(2, 4, "Local");
        long cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        JsonNode first = emitir(crear(cliente, "FCB", "a", item("ENVIO", 1, "100", "21", "0")));
        JsonNode second = emitir(crear(cliente, "FCB", "b", item("ENVIO", 1, "100", "21", "0")));
        String otherPv = crearBody(cliente, "FCB", "c", item("ENVIO", 1, "100", "21", "0")).replace(
                "\"PuntoVenta\":1", "\"PuntoVenta\":2");
        JsonNode third = emitir(Long.parseLong(post(otherPv).body()));

        assertThat(first.get("Numero").asText()).isEqualTo("0003-00000001");
        assertThat(second.get("Numero").asText()).isEqualTo("0003-00000002");
        assertThat(third.get("Numero").asText()).isEqualTo("0004-00000001");
        assertThat(first.get("CAE").asText()).matches("\\d{14}").isNotEqualTo(second.get("CAE").asText());
        assertThat(first.get("Error").asText()).isEmpty();
        assertThat(first.get("Total").decimalValue()).isEqualByComparingTo("121.00");
        assertThat(first.get("LinkPublico").asText()).startsWith(sandbox.baseUrl().toString());
        assertThat(cb.getBytes(first.get("LinkPublico").asText()).statusCode()).isEqualTo(200);

        JsonNode doc = json(cb.get("/api/comprobantes?id=" + first.get("ID").asLong()));
        assertThat(doc.get("Cae").asText()).isEqualTo(first.get("CAE").asText());
        assertThat(doc.get("Numero").asText()).isEqualTo("0003-00000001");
        assertThat(account.issuedInvoices()).hasSize(3);
        assertThat(account.issuedInvoices().get(0).emitidoEl()).isEqualTo(LocalDate.parse(today));
    }

    @Test
    void emitirOnAnIssuedDocumentAnswersAnErrorWithoutCae() {
        long cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        long id = crear(cliente, "FCB", "a", item("ENVIO", 1, "100", "21", "0"));
        emitir(id);
        JsonNode again = emitir(id);
        assertThat(again.get("CAE").asText()).isEmpty();
        assertThat(again.get("Error").asText()).contains("ya fue emitido");
        assertThat(account.reissueAttempts()).isEqualTo(1);
    }

    @Test
    void facturaARequiresAnRiOrMonotributoCustomerWithCuit() {
        long cf = account.addCustomer("Consumidor", "CF", "DNI", "30111222");
        long id = crear(cf, "FCA", "a", item("ENVIO", 1, "100", "21", "0"));
        HttpResponse<String> r = cb.get("/api/comprobantes/emitirFE?id=" + id);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("CAE").asText()).isEmpty();
        assertThat(json(r).get("Error").asText()).isNotEmpty();
        assertThat(account.document(id).orElseThrow().issued()).isFalse();

        long ri = account.addCustomer("Empresa SRL", "RI", "CUIT", RI_CUIT);
        assertThat(emitir(crear(ri, "FCA", "b", item("ENVIO", 1, "100", "21", "0"))).get("CAE").asText())
                .hasSize(14);
    }

    @Test
    void aMonotributoSellerMayOnlyIssueC() {
        sandbox.addAccount("mono@example.com", "m", "MO", "Mono", "20123456786").seedDefaults();
        SandboxAccount mono = sandbox.account("mono@example.com");
        cb.login("mono@example.com", "m");
        long cf = mono.addCustomer("CF", "CF", "DNI", "30111222");
        assertThat(emitir(crear(cf, "FCB", "a", item("ENVIO", 1, "100", "21", "0"))).get("Error").asText())
                .isNotEmpty();
        assertThat(emitir(crear(cf, "FCC", "b", item("ENVIO", 1, "121", "0", "0"))).get("CAE").asText())
                .hasSize(14);
    }

    @Test
    void creditNoteNeedsAnIssuedInvoiceOfTheSameLetterAndReturnsStock() {
        account.addConcepto("REM-001", "Remera", new BigDecimal("12100"), new BigDecimal("21"));
        account.setStock(1, "REM-001", 10, 0);
        long cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        long draft = crear(cliente, "FCB", "a", item("REM-001", 2, "10000", "21", "0"));
        assertThat(post(crearBody(cliente, "NCB", "nc", item("REM-001", 2, "10000", "21", "0"))
                .replace("\"IdComprobanteAsociado\":null", "\"IdComprobanteAsociado\":" + draft)).statusCode())
                .isEqualTo(500);
        emitir(draft);
        assertThat(account.stockActual(1, "REM-001")).isEqualByComparingTo("8");
        assertThat(post(crearBody(cliente, "NCA", "nc", item("REM-001", 2, "10000", "21", "0"))
                .replace("\"IdComprobanteAsociado\":null", "\"IdComprobanteAsociado\":" + draft)).statusCode())
                .isEqualTo(500);
        long nc = Long.parseLong(post(crearBody(cliente, "NCB", "nc", item("REM-001", 2, "10000", "21", "0"))
                .replace("\"IdComprobanteAsociado\":null", "\"IdComprobanteAsociado\":" + draft)).body());
        assertThat(emitir(nc).get("Numero").asText()).isEqualTo("0003-00000001");
        assertThat(account.issuedCreditNotes()).hasSize(1);
        assertThat(account.stockActual(1, "REM-001")).isEqualByComparingTo("10");
    }

    @Test
    void searchStopsAtTwentyPagesOfFiftyDocuments() {
        account.addIssuedInvoices(LocalDate.parse(today), 1_010);
        String window = "&fechaDesde=" + today + "&fechaHasta=" + today;
        JsonNode last = json(cb.get("/api/comprobantes/search?filtro=" + window + "&page=20"));
        assertThat(last.get("Items")).hasSize(50);
        JsonNode beyond = json(cb.get("/api/comprobantes/search?filtro=" + window + "&page=21"));
        assertThat(beyond.get("Items")).isEmpty();
        assertThat(beyond.get("TotalItems").asInt()).isEqualTo(1_010);
    }

    @Test
    void searchByDateWindowAndFiltroButNotByRefExterna() {
        long cliente = account.addCustomer("Juana Pérez", "CF", "DNI", "30111222");
        crear(cliente, "FCB", "jumpseller:tienda:1001", item("ENVIO", 1, "100", "21", "0"));
        String window = "&fechaDesde=" + LocalDate.parse(today).minusDays(30) + "&fechaHasta=" + today;
        JsonNode all = json(cb.get("/api/comprobantes/search?filtro=" + window + "&page=1"));
        assertThat(all.get("TotalItems").asInt()).isEqualTo(1);
        assertThat(all.get("Items").get(0).get("RefExterna").asText()).isEqualTo("jumpseller:tienda:1001");
        assertThat(json(cb.get("/api/comprobantes/search?filtro=juana" + window)).get("TotalItems").asInt()).isEqualTo(1);
        assertThat(json(cb.get("/api/comprobantes/search?filtro=1001" + window)).get("TotalItems").asInt()).isZero();

        HttpResponse<String> tooWide = cb.get("/api/comprobantes/search?filtro=&fechaDesde="
                + LocalDate.parse(today).minusDays(93) + "&fechaHasta=" + today);
        assertThat(tooWide.statusCode()).isEqualTo(400);
        assertThat(json(tooWide).get("Message").asText()).contains("92");
    }

    @Test
    void deleteDraftRestoresStockButIssuedDocumentsStay() {
        account.addConcepto("REM-001", "Remera", new BigDecimal("12100"), new BigDecimal("21"));
        account.setStock(1, "REM-001", 5, 0);
        long cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        long draft = crear(cliente, "FCB", "a", item("REM-001", 2, "10000", "21", "0"));
        assertThat(account.stockActual(1, "REM-001")).isEqualByComparingTo("3");
        assertThat(cb.delete("/api/comprobantes?id=" + draft).statusCode()).isEqualTo(200);
        assertThat(account.document(draft)).isEmpty();
        assertThat(account.stockActual(1, "REM-001")).isEqualByComparingTo("5");

        long issued = crear(cliente, "FCB", "b", item("REM-001", 1, "10000", "21", "0"));
        emitir(issued);
        HttpResponse<String> refused = cb.delete("/api/comprobantes?id=" + issued);
        assertThat(refused.statusCode()).isEqualTo(500);
        assertThat(json(refused).get("Message").asText()).contains("nota de crédito");
        assertThat(account.document(issued)).isPresent();
    }

    @Test
    void pdfIsARealPdfShowingNumberCaeAndTotal() {
        long cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        JsonNode e = emitir(crear(cliente, "FCB", "a", item("ENVIO", 1, "100", "21", "0")));
        HttpResponse<byte[]> pdf = cb.getBytes("/api/comprobantes/obtenerPdf?id=" + e.get("ID").asLong());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        String text = new String(pdf.body(), StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("%PDF-1.4").endsWith("%%EOF\n")
                .contains(e.get("CAE").asText(), "0003-00000001", "FACTURA B", "121.00");
        // the xref offset really points at the xref table
        int startxref = Integer.parseInt(text.substring(text.lastIndexOf("startxref") + 10).split("\n")[0].trim());
        assertThat(text.substring(startxref)).startsWith("xref");
    }

    // ------------------------------------------------------------------ stock and price lists

    @Test
    void stockPerWarehouseAndBySku() {
        account.addDeposito(2, "Showroom");
        account.addConcepto("REM-001", "Remera", new BigDecimal("12100"), new BigDecimal("21"));
        account.addConcepto("GOR-002", "Gorra", new BigDecimal("6050"), new BigDecimal("21"));
        account.setStock(1, "REM-001", 10, 2);
        account.setStock(2, "REM-001", 3, 5);

        JsonNode dep1 = json(cb.get("/api/inventarios/getStockByDeposito?id=1&page=1&pageSize=50"));
        assertThat(dep1.get("TotalItems").asInt()).isEqualTo(2); // both products, zero included; no ENVIO
        JsonNode rem = dep1.get("Items").get(0);
        assertThat(rem.get("Codigo").asText()).isEqualTo("REM-001");
        assertThat(rem.get("StockConReservas").asInt()).isEqualTo(8);
        assertThat(dep1.get("Items").get(1).get("StockActual").asInt()).isZero();

        JsonNode sku = json(cb.get("/api/inventarios/getStockBySKU?codigo=rem-001"));
        assertThat(sku.get("StockActual").asInt()).isEqualTo(13);
        assertThat(sku.get("StockReservado").asInt()).isEqualTo(7);
        assertThat(sku.get("stock")).hasSize(2);
        assertThat(sku.get("stock").get(1).get("Codigo").asText()).isEqualTo("Showroom");
        assertThat(sku.get("stock").get(1).get("StockConReservas").asInt()).isZero(); // floored at 0
        assertThat(cb.get("/api/inventarios/getStockBySKU?codigo=NOPE").statusCode()).isEqualTo(404);

        long cliente = account.addCustomer("CF", "CF", "DNI", "30111222");
        post(crearBody(cliente, "FCB", "a", item("REM-001", 2, "10000", "21", "0")).replace(
                "\"Inventario\":null", "\"Inventario\":2"));
        assertThat(account.stockActual(2, "REM-001")).isEqualByComparingTo("1");
        assertThat(account.stockActual(1, "REM-001")).isEqualByComparingTo("10");
    }

    @Test
    void priceListsArePaged() {
        account.addPriceList(7, "Mayorista");
        for (int i = 0; i < 120; i++) {
            account.setListPrice(7, "SKU-" + i, new BigDecimal("121.00"), new BigDecimal("21"));
        }
        assertThat(json(cb.get("/api/listasDePrecio/search")).get(0).get("Nombre").asText()).isEqualTo("Mayorista");
        JsonNode p1 = json(cb.get("/api/listasDePrecio/getById?id=7&page=1&pageSize=50"));
        assertThat(p1.get("Nombre").asText()).isEqualTo("Mayorista");
        assertThat(p1.get("Items")).hasSize(50);
        assertThat(p1.get("TotalItems").asInt()).isEqualTo(120);
        assertThat(p1.get("TotalPage").asInt()).isEqualTo(3);
        assertThat(p1.get("Items").get(0).get("Precio").decimalValue()).isEqualByComparingTo("100.00");
        JsonNode p3 = json(cb.get("/api/listasDePrecio/getById?id=7&page=3&pageSize=50"));
        assertThat(p3.get("Items")).hasSize(20);
        assertThat(p3.get("Items").get(19).get("Codigo").asText()).isEqualTo("SKU-119");
    }

    // ------------------------------------------------------------------ loose mode

    @Test
    void looseModeUsesTheShapesTheConnectorMustTolerate() {
        sandbox.setLoose(true);
        HttpResponse<String> created = cb.post("/api/clientes", customerBody("Ana", "CF", "DNI", "30111222"));
        long id = json(created).get("Id").asLong();
        JsonNode byDoc = json(cb.get("/api/clientes/GetClientByDoc?tipoDoc=DNI&nroDoc=30111222"));
        assertThat(byDoc.isArray()).isTrue();
        assertThat(byDoc.get(0).get("id").asLong()).isEqualTo(id);
        assertThat(byDoc.get(0).get("razonSocial").asText()).isEqualTo("Ana");
        JsonNode concept = json(cb.get("/api/conceptos/getByCodigo?codigo=ENVIO"));
        assertThat(concept.get("PrecioFinal").isTextual()).isTrue();
        long doc = json(post(crearBody(id, "FCB", "a", item("ENVIO", 1, "100", "21", "0")))).get("Id").asLong();
        assertThat(json(cb.get("/api/comprobantes?id=" + doc)).get("ImporteTotalNeto").asText()).isEqualTo("121.00");
        assertThat(emitir(doc).get("Total").isTextual()).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    static String customerBody(String razon, String cond, String tipoDoc, String nroDoc) {
        return """
                {"RazonSocial":"%s","CondicionIva":"%s","TipoDoc":"%s","NroDoc":"%s","Personeria":"F",
                 "Email":"ana@example.com","Telefono":"","Domicilio":"Calle 1","Cp":"1000","IdPais":10,
                 "IdProvincia":2,"Ciudad":"CABA"}""".formatted(razon, cond, tipoDoc, nroDoc);
    }

    static String item(String codigo, int cantidad, String precio, String iva, String bonif) {
        return """
                {"IdConcepto":null,"Codigo":"%s","Concepto":"%s","Cantidad":%d,"PrecioUnitario":%s,"Iva":%s,
                 "Bonificacion":%s}""".formatted(codigo, codigo, cantidad, precio, iva, bonif);
    }

    String crearBody(long cliente, String tipoFc, String ref, String items) {
        return """
                {"IdCliente":%d,"TipoFc":"%s","Modo":"E","PuntoVenta":1,"CondicionVenta":"MercadoPago",
                 "TipoConcepto":1,"Inventario":null,"FechaEmision":"%sT00:00:00","Observaciones":"Pedido #1",
                 "RefExterna":"%s","IdComprobanteAsociado":null,"Descuento":0,"Recargo":0,"Pagos":null,
                 "Tributos":null,"fceMiPYME":false,"Items":[%s]}""".formatted(cliente, tipoFc, today, ref, items);
    }

    HttpResponse<String> post(String crearBody) {
        return cb.post("/api/comprobantes/crear", crearBody);
    }

    long crear(long cliente, String tipoFc, String ref, String items) {
        HttpResponse<String> r = post(crearBody(cliente, tipoFc, ref, items));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Long.parseLong(r.body());
    }

    JsonNode emitir(long id) {
        HttpResponse<String> r = cb.get("/api/comprobantes/emitirFE?id=" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }
}
