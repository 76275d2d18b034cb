package ar.connector.exports;

import java.time.YearMonth;
import java.util.List;
import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import ar.connector.invoicing.OrderStatus;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.web.ApiException;
import ar.connector.web.FieldError;
import ar.connector.web.RequestValues;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Downloads of the admin API: the order log as CSV or Excel, the month's PDFs as one ZIP, all streamed. */
@RestController
@RequestMapping("/api/links/{linkId}")
@Tag(name = "Exports", description = "The order log as CSV or Excel, the month's invoice PDFs as a ZIP")
public class ExportController {

    public static final MediaType XLSX = MediaType.parseMediaType(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final LinkRepository links;
    private final OrderLogExport orderLog;
    private final MonthPdfZip zip;

    public ExportController(LinkRepository links, OrderLogExport orderLog, MonthPdfZip zip) {
        this.links = links;
        this.orderLog = orderLog;
        this.zip = zip;
    }

    @GetMapping("/orders/export.csv")
    @Operation(summary = "The order log as CSV", description = "UTF-8, RFC 4180, a header row; newest order first. "
            + "Optional status and from/to (order dates, yyyy-MM-dd, Buenos Aires, inclusive).")
    public ResponseEntity<StreamingResponseBody> csv(@PathVariable long linkId, @RequestParam(required = false) String status,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Link link = link(linkId);
        OrderLogExport.Filter filter = filter(status, from, to);
        return download(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8),
                fileName(link, "pedidos", "csv"), out -> orderLog.csv(linkId, filter, out));
    }

    @GetMapping("/orders/export.xlsx")
    @Operation(summary = "The order log as an Excel sheet", description = "The CSV's columns; amounts as numbers, "
            + "dates as Buenos Aires dates. Same filters as export.csv.")
    public ResponseEntity<StreamingResponseBody> xlsx(@PathVariable long linkId, @RequestParam(required = false) String status,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Link link = link(linkId);
        OrderLogExport.Filter filter = filter(status, from, to);
        return download(XLSX, fileName(link, "pedidos", "xlsx"), out -> orderLog.xlsx(linkId, filter, out));
    }

    @GetMapping("/documents.zip")
    @Operation(summary = "The month's invoice and credit-note PDFs as one ZIP", description = "Documents issued in "
            + "the month (yyyy-MM, Buenos Aires), named like the buyers' e-mail attachments (Factura-B-0003-00000001.pdf). "
            + "PDFs Contabilium could not serve are listed in NO-INCLUIDOS.txt inside the archive.")
    public ResponseEntity<StreamingResponseBody> documents(@PathVariable long linkId, @RequestParam String month) {
        Link link = link(linkId);
        YearMonth period = RequestValues.month("month", month);
        return download(MediaType.parseMediaType("application/zip"), fileName(link, "comprobantes-" + period, "zip"),
                out -> zip.write(link, period, out));
    }

    /** A download the browser saves under {@code name}, written while it is sent. */
    public static ResponseEntity<StreamingResponseBody> download(MediaType type, String name, StreamingResponseBody body) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"").body(body);
    }

    public static String fileName(Link link, String what, String extension) {
        return (link.getJumpsellerStoreCode() + "-" + what).replaceAll("[^A-Za-z0-9._-]", "_") + "." + extension;
    }

    public static OrderLogExport.Filter filter(String status, String from, String to) {
        OrderStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = OrderStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(List.of(new FieldError("status",
                        "must be one of " + java.util.Arrays.toString(OrderStatus.values()))));
            }
        }
        return new OrderLogExport.Filter(wanted, RequestValues.date("from", from), RequestValues.date("to", to));
    }

    private Link link(long linkId) {
        return links.findById(linkId).filter(Link::isActive)
                .orElseThrow(() -> ApiException.notFound("No active link with id " + linkId));
    }
}
