package ar.connector.console;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import ar.connector.exports.ExportController;
import ar.connector.exports.MonthPdfZip;
import ar.connector.exports.OrderLogExport;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;

/** The console's downloads: the same exports as the admin API, behind the console's login. */
@Controller
@RequestMapping("/console/stores/{id}/exportar")
class ExportPageController {

    private final LinkRepository links;
    private final OrderLogExport orderLog;
    private final MonthPdfZip zip;

    ExportPageController(LinkRepository links, OrderLogExport orderLog, MonthPdfZip zip) {
        this.links = links;
        this.orderLog = orderLog;
        this.zip = zip;
    }

    @GetMapping("/pedidos.csv")
    ResponseEntity<StreamingResponseBody> csv(@PathVariable long id, @RequestParam(required = false) String estado) {
        Link link = active(id);
        OrderLogExport.Filter filter = ExportController.filter(estado, null, null);
        return ExportController.download(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8),
                ExportController.fileName(link, "pedidos", "csv"), out -> orderLog.csv(id, filter, out));
    }

    @GetMapping("/pedidos.xlsx")
    ResponseEntity<StreamingResponseBody> xlsx(@PathVariable long id, @RequestParam(required = false) String estado) {
        Link link = active(id);
        OrderLogExport.Filter filter = ExportController.filter(estado, null, null);
        return ExportController.download(ExportController.XLSX, ExportController.fileName(link, "pedidos", "xlsx"),
                out -> orderLog.xlsx(id, filter, out));
    }

    @GetMapping("/comprobantes.zip")
    ResponseEntity<StreamingResponseBody> documents(@PathVariable long id, @RequestParam(required = false) String mes) {
        Link link = active(id);
        YearMonth month;
        try {
            month = mes == null || mes.isBlank() ? YearMonth.now(OrdersController.BUENOS_AIRES) : YearMonth.parse(mes.trim());
        } catch (DateTimeParseException e) {
            throw new ConsoleProblem(HttpStatus.BAD_REQUEST, "Elija un mes como 2026-11.");
        }
        return ExportController.download(MediaType.parseMediaType("application/zip"),
                ExportController.fileName(link, "comprobantes-" + month, "zip"), out -> zip.write(link, month, out));
    }

    private Link active(long id) {
        return links.findById(id).filter(Link::isActive)
                .orElseThrow(() -> new ConsoleProblem(HttpStatus.NOT_FOUND, ConsoleText.PAGE_NOT_FOUND));
    }
}
