package ar.connector.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import ar.connector.invoicing.SandboxedConnectorTest;
import ar.connector.sandbox.contabilium.Endpoint;
import ar.connector.sandbox.contabilium.Fault;

/** The exports of the admin API, parsed as a spreadsheet program or an unzip tool would. */
class ExportsTest extends SandboxedConnectorTest {

    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");

    @Test
    void theOrderLogExportsAsCsvAndExcelWithEveryOrderAndItsDocuments() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        long invoiced = paidAndWebhooked(link, "REM-01", "Ana, \"la de Córdoba\"");
        awaitStatus(link, invoiced, "INVOICED");
        long credited = paidAndWebhooked(link, "REM-01", "Beto Nota");
        awaitStatus(link, credited, "INVOICED");
        assertThat(admin("POST", "/api/links/" + link.linkId() + "/orders/" + credited + "/credit-note", null).statusCode())
                .isEqualTo(202);
        JsonNode creditedRow = awaitStatus(link, credited, "CREDITED");
        long parked = paidAndWebhooked(link, "NO-EXISTE", "Carla Espera");
        JsonNode parkedRow = awaitStatus(link, parked, "PARKED");
        JsonNode invoicedRow = orderRow(link, invoiced);

        HttpResponse<byte[]> csv = get("/api/links/" + link.linkId() + "/orders/export.csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains(link.store().code() + "-pedidos.csv");
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv.body(), StandardCharsets.UTF_8))).getRecords();
        assertThat(rows).extracting(r -> r.get("pedido"))
                .containsExactly(String.valueOf(parked), String.valueOf(credited), String.valueOf(invoiced));
        CSVRecord first = rows.get(2);
        assertThat(first.get("comprador")).isEqualTo("Ana, \"la de Córdoba\"");
        assertThat(first.get("estado")).isEqualTo("INVOICED");
        assertThat(first.get("factura_tipo")).isEqualTo("FCB");
        assertThat(first.get("factura_numero")).isEqualTo(invoicedRow.at("/invoice/numero").asText());
        assertThat(first.get("factura_cae")).isEqualTo(invoicedRow.at("/invoice/cae").asText());
        assertThat(new BigDecimal(first.get("factura_total"))).isEqualByComparingTo("1210.00");
        assertThat(first.get("factura_fecha")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}");
        assertThat(rows.get(1).get("nota_credito_numero")).isEqualTo(creditedRow.at("/creditNote/numero").asText());
        assertThat(rows.get(1).get("estado")).isEqualTo("CREDITED");
        assertThat(rows.get(0).get("motivo")).isEqualTo(parkedRow.get("reason").asText());
        assertThat(rows.get(0).get("factura_numero")).isEmpty();

        // Filtered by state.
        HttpResponse<byte[]> onlyParked = get("/api/links/" + link.linkId() + "/orders/export.csv?status=parked");
        assertThat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(onlyParked.body(), StandardCharsets.UTF_8))).getRecords())
                .extracting(r -> r.get("pedido")).containsExactly(String.valueOf(parked));

        HttpResponse<byte[]> xlsx = get("/api/links/" + link.linkId() + "/orders/export.xlsx");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        assertThat(xlsx.headers().firstValue("Content-Type").orElse(""))
                .isEqualTo("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            Sheet sheet = workbook.getSheet("Pedidos");
            assertThat(sheet.getLastRowNum()).isEqualTo(3);
            Row header = sheet.getRow(0);
            assertThat(header.getCell(0).getStringCellValue()).isEqualTo("pedido");
            int total = OrderLogExport.HEADER.indexOf("factura_total");
            int date = OrderLogExport.HEADER.indexOf("factura_fecha");
            Row row = sheet.getRow(3);
            assertThat((long) row.getCell(0).getNumericCellValue()).isEqualTo(invoiced);
            assertThat(row.getCell(total).getCellType()).isEqualTo(CellType.NUMERIC);
            assertThat(row.getCell(total).getNumericCellValue()).isEqualTo(1210.00);
            assertThat(row.getCell(date).getLocalDateTimeCellValue()).isNotNull();
            assertThat(row.getCell(OrderLogExport.HEADER.indexOf("factura_numero")).getStringCellValue())
                    .isEqualTo(invoicedRow.at("/invoice/numero").asText());
        }
    }

    @Test
    void theMonthsPdfsComeAsOneZipNamedLikeTheEmailsAndUnreadableOnesAreListed() throws Exception {
        Linked link = newLink("RI", Map.of("includeShippingCost", false), "REM-01");
        Map<String, String> caeByEntry = new LinkedHashMap<>();
        for (String buyer : List.of("Dora Zip", "Eli Zip", "Fede Zip")) {
            long orderId = paidAndWebhooked(link, "REM-01", buyer);
            JsonNode row = awaitStatus(link, orderId, "INVOICED");
            caeByEntry.put("Factura-B-" + row.at("/invoice/numero").asText() + ".pdf", row.at("/invoice/cae").asText());
        }
        long credited = caeOrder(link);
        JsonNode creditedRow = orderRow(link, credited);
        caeByEntry.put("Factura-B-" + creditedRow.at("/invoice/numero").asText() + ".pdf", creditedRow.at("/invoice/cae").asText());
        caeByEntry.put("NotaDeCredito-B-" + creditedRow.at("/creditNote/numero").asText() + ".pdf",
                creditedRow.at("/creditNote/cae").asText());
        String month = YearMonth.now(BUENOS_AIRES).toString();

        HttpResponse<byte[]> zip = get("/api/links/" + link.linkId() + "/documents.zip?month=" + month);
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
        Map<String, byte[]> entries = unzip(zip.body());
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(caeByEntry.keySet());
        caeByEntry.forEach((name, cae) -> {
            String pdf = new String(entries.get(name), StandardCharsets.ISO_8859_1);
            assertThat(pdf).as(name).startsWith("%PDF-").contains("CAE: " + cae);
        });

        // The PDFs just zipped come from the shared cache from now on; a new invoice's PDF does not. When
        // Contabilium refuses it (every retry), the others still come and the archive says which is missing.
        long late = paidAndWebhooked(link, "REM-01", "Hugo Zip");
        String lateNumero = awaitStatus(link, late, "INVOICED").at("/invoice/numero").asText();
        CONTABILIUM.failNext(Endpoint.OBTENER_PDF, Fault.HTTP_500, 10);
        try {
            Map<String, byte[]> partial = unzip(get("/api/links/" + link.linkId() + "/documents.zip?month=" + month).body());
            assertThat(partial).containsKey(MonthPdfZip.ERRORS);
            String errors = new String(partial.get(MonthPdfZip.ERRORS), StandardCharsets.UTF_8);
            assertThat(errors).contains("FCB").contains(lateNumero);
            assertThat(partial.keySet()).filteredOn(name -> name.endsWith(".pdf"))
                    .containsExactlyInAnyOrderElementsOf(caeByEntry.keySet());
        } finally {
            CONTABILIUM.clearFaults();
        }

        // Another month holds nothing; a malformed month is a 400.
        assertThat(unzip(get("/api/links/" + link.linkId() + "/documents.zip?month=2020-01").body())).isEmpty();
        assertThat(admin("GET", "/api/links/" + link.linkId() + "/documents.zip?month=enero", null).statusCode()).isEqualTo(400);
    }

    // ---- helpers ----

    private long caeOrder(Linked link) {
        long orderId = paidAndWebhooked(link, "REM-01", "Gabi Nota");
        awaitStatus(link, orderId, "INVOICED");
        assertThat(admin("POST", "/api/links/" + link.linkId() + "/orders/" + orderId + "/credit-note", null).statusCode())
                .isEqualTo(202);
        awaitStatus(link, orderId, "CREDITED");
        return orderId;
    }

    private long paidAndWebhooked(Linked link, String sku, String buyer) {
        long orderId = link.store().newOrder().customer(buyer.toLowerCase().replaceAll("[^a-z]", "") + "@example.com", buyer)
                .additionalField("DNI", "30123456").line(sku, 1, 1210.00).status("paid").create();
        assertThat(signedWebhook(link.store(), "order_paid", orderId).statusCode()).isEqualTo(200);
        return orderId;
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private HttpResponse<byte[]> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
