package ar.connector.reconciliation;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import ar.connector.web.ApiException;
import ar.connector.web.FieldError;
import ar.connector.web.RequestValues;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/links/{id}/reconciliation?month=YYYY-MM}: the month's reconciliation, as JSON or,
 * with {@code Accept: text/csv}, as CSV. A reconciliation takes a while: the first GET starts it and
 * answers 202 with its progress (and {@code Retry-After}); GET again until it answers 200.
 */
@RestController
@RequestMapping("/api")
@Tag(name = "Reconciliation", description = "The month's orders against the month's Contabilium documents")
public class ReconciliationController {

    static final String TEXT_CSV = "text/csv";
    private static final int MAX_PAGE = 1000;

    private final Reconciliations reconciliations;

    public ReconciliationController(Reconciliations reconciliations) {
        this.reconciliations = reconciliations;
    }

    /** A finished reconciliation: counts per kind and one page of its differences. */
    public record Report(String reconciliationId, long linkId, String month, String state, java.time.Instant createdAt,
            java.time.Instant finishedAt, int ordersRead, int documentsRead, Map<Reconciliations.Kind, Long> counts,
            List<Reconciliations.Difference> differences, PageInfo page) {
    }

    public record PageInfo(int size, int number, long totalElements, int totalPages) {
    }

    @GetMapping(path = "/links/{linkId}/reconciliation", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The month's reconciliation (JSON)", description = "Jumpseller's paid and canceled orders "
            + "created in the month against the Contabilium documents of the month carrying this store's references. "
            + "Kinds: ORDER_WITHOUT_INVOICE, INVOICE_WITHOUT_ORDER (issued by hand, or for an order that does not exist "
            + "or was never paid), TOTAL_DIFFERS, CREDITED_WITHOUT_CREDIT_NOTE; each with an action (admin API call and "
            + "console page). 202 with the progress (state, step, percent) while it runs: ask again after Retry-After "
            + "seconds. A finished one is reused for connector.reconciliation.max-age; refresh=true starts a new one. "
            + "503 when the last run failed (its reason in detail). Differences are paged (size 1..1000, default 200).")
    public ResponseEntity<Object> json(@PathVariable long linkId, @RequestParam String month,
            @RequestParam(defaultValue = "false") boolean refresh, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "200") int size) {
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.invalid(List.of(new FieldError("size", "must be between 1 and " + MAX_PAGE)));
        }
        if (page < 0 || (long) page * size > Integer.MAX_VALUE) {
            throw ApiException.invalid(List.of(new FieldError("page", "must be 0 or more, and page × size at most "
                    + Integer.MAX_VALUE)));
        }
        Reconciliations.Progress progress = reconciliations.currentOrStart(linkId, RequestValues.month("month", month), refresh);
        ResponseEntity<Object> pending = notYet(progress);
        if (pending != null) {
            return pending;
        }
        Map<Reconciliations.Kind, Long> counts = reconciliations.counts(progress.reconciliationId());
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return ResponseEntity.ok(new Report(progress.reconciliationId(), linkId, progress.month(), progress.state(),
                progress.createdAt(), progress.finishedAt(), progress.ordersRead(), progress.documentsRead(), counts,
                reconciliations.differences(progress.reconciliationId(), linkId, page * size, size),
                new PageInfo(size, page, total, (int) ((total + size - 1) / size))));
    }

    @GetMapping(path = "/links/{linkId}/reconciliation", produces = TEXT_CSV)
    @Operation(summary = "The month's reconciliation (CSV, every difference)")
    public ResponseEntity<StreamingResponseBody> csv(@PathVariable long linkId, @RequestParam String month,
            @RequestParam(defaultValue = "false") boolean refresh) {
        Reconciliations.Progress progress = reconciliations.currentOrStart(linkId, RequestValues.month("month", month), refresh);
        ResponseEntity<Object> pending = notYet(progress);
        if (pending != null) {
            // Nothing to put in a CSV yet: the headers say when to ask again.
            return ResponseEntity.status(pending.getStatusCode()).headers(pending.getHeaders())
                    .<StreamingResponseBody>build();
        }
        String id = progress.reconciliationId();
        StreamingResponseBody body = out -> writeCsv(reconciliations, id, linkId, out);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"conciliacion-" + progress.month() + ".csv\"")
                .body(body);
    }

    /** Every difference as CSV rows (UTF-8, RFC 4180, a header row), read a chunk at a time. */
    public static void writeCsv(Reconciliations reconciliations, String id, long linkId, java.io.OutputStream out)
            throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader("kind", "diferencia",
                "pedido", "comprobante_id", "tipo", "numero", "importe_esperado", "importe_comprobante", "detalle",
                "accion", "api", "consola").get())) {
            reconciliations.forEachDifference(id, linkId, d -> {
                try {
                    csv.printRecord(d.kind(), ReconciliationText.kind(d.kind()), d.orderId(), d.contabiliumId(), d.tipo(),
                            d.numero(), d.expectedTotal(), d.documentTotal(), d.detail(), d.action().label(),
                            d.action().api(), d.action().console());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** 202 while it runs, 503 when it failed; null when it is done. */
    private static ResponseEntity<Object> notYet(Reconciliations.Progress progress) {
        if ("DONE".equals(progress.state())) {
            return null;
        }
        if ("FAILED".equals(progress.state())) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "The reconciliation failed: " + progress.error()
                    + ". Ask again with refresh=true.");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(HttpHeaders.RETRY_AFTER, "2").body(progress);
    }
}
