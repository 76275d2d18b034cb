package ar.connector.console;

import java.time.Duration;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.documents.InvoicePdfs;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkService;
import ar.connector.reconciliation.ReconciliationController;
import ar.connector.reconciliation.ReconciliationText;
import ar.connector.reconciliation.Reconciliations;
import ar.connector.web.ApiException;

/**
 * A store's "Conciliación": choose a month, run the reconciliation (a job whose progress bar the page
 * follows), then the differences with a button or link to act on each, and the CSV.
 */
@Controller
@RequestMapping("/console/stores/{id}")
class ReconciliationPageController {

    static final int ROWS_SHOWN = 50;

    private final Reconciliations reconciliations;
    private final LinkService links;
    private final LinkRepository linkRepository;
    private final InvoicePdfs pdfs;
    private final Duration pdfWait;

    ReconciliationPageController(Reconciliations reconciliations, LinkService links, LinkRepository linkRepository,
            InvoicePdfs pdfs, ConnectorProperties properties) {
        this.reconciliations = reconciliations;
        this.links = links;
        this.linkRepository = linkRepository;
        this.pdfs = pdfs;
        this.pdfWait = properties.documents().maxWait();
    }

    /** One difference as the table shows it. */
    record Row(Reconciliations.Difference difference, String kindLabel) {
    }

    @GetMapping("/conciliacion")
    String page(@PathVariable long id, @RequestParam(required = false) String mes,
            @RequestParam(name = "conciliacion", required = false) String reconciliationId,
            @RequestParam(defaultValue = "0") int pagina, Model model) {
        Link link = active(id);
        YearMonth month = month(mes);
        model.addAttribute("store", links.get(id));
        model.addAttribute("month", month.toString());
        model.addAttribute("thisMonth", YearMonth.now(OrdersController.BUENOS_AIRES).toString());
        Reconciliations.Progress progress = reconciliationId != null
                ? own(link, reconciliationId)
                : reconciliations.latest(id, month).orElse(null);
        model.addAttribute("progress", progress);
        if (progress != null) {
            model.addAttribute("stepLabel", stepLabel(progress));
        }
        if (progress != null && "DONE".equals(progress.state())) {
            Map<Reconciliations.Kind, Long> counts = reconciliations.counts(progress.reconciliationId());
            Map<String, Long> labelled = new LinkedHashMap<>();
            counts.forEach((kind, n) -> labelled.put(ReconciliationText.kind(kind), n));
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            int page = Math.max(0, Math.min(pagina, (int) Math.max(0, (total - 1) / ROWS_SHOWN)));
            model.addAttribute("counts", labelled);
            model.addAttribute("kindCounts", counts);
            model.addAttribute("total", total);
            model.addAttribute("pagina", page);
            model.addAttribute("pages", (int) ((total + ROWS_SHOWN - 1) / ROWS_SHOWN));
            model.addAttribute("rows", reconciliations.differences(progress.reconciliationId(), id, page * ROWS_SHOWN,
                    ROWS_SHOWN).stream().map(d -> new Row(d, ReconciliationText.kind(d.kind()))).toList());
        }
        return "console/reconciliation";
    }

    @PostMapping("/conciliacion")
    String start(@PathVariable long id, @RequestParam(required = false) String mes, RedirectAttributes redirect) {
        YearMonth month = month(mes);
        try {
            String reconciliationId = reconciliations.start(id, month);
            redirect.addAttribute("mes", month.toString());
            redirect.addAttribute("conciliacion", reconciliationId);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.status() == HttpStatus.BAD_REQUEST
                    ? "Elija un mes que ya haya empezado."
                    : "No se pudo iniciar la conciliación: " + ConsoleText.general(e));
            redirect.addAttribute("mes", month.toString());
        }
        return "redirect:/console/stores/{id}/conciliacion";
    }

    /** The progress of one run, for the page's progress bar. */
    @GetMapping(path = "/conciliacion/{reconciliationId}/estado", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, Object> state(@PathVariable long id, @PathVariable String reconciliationId) {
        Reconciliations.Progress progress = own(active(id), reconciliationId);
        return Map.of("state", progress.state(), "percent", progress.percent(), "step", stepLabel(progress),
                "finished", progress.finished());
    }

    @GetMapping("/conciliacion/{reconciliationId}/diferencias.csv")
    ResponseEntity<StreamingResponseBody> csv(@PathVariable long id, @PathVariable String reconciliationId) {
        Reconciliations.Progress progress = own(active(id), reconciliationId);
        if (!"DONE".equals(progress.state())) {
            throw new ConsoleProblem(HttpStatus.CONFLICT, "Esta conciliación todavía no terminó.");
        }
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"conciliacion-" + progress.month() + ".csv\"")
                .body(out -> ReconciliationController.writeCsv(reconciliations, reconciliationId, id, out));
    }

    /** Any document of the store's Contabilium account, by its id (for documents without an order). */
    @GetMapping("/comprobantes/{documentId}/pdf")
    ResponseEntity<byte[]> documentPdf(@PathVariable long id, @PathVariable long documentId) {
        Link link = active(id);
        try {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"comprobante-" + documentId + ".pdf\"")
                    .body(pdfs.pdf(link, documentId, pdfWait));
        } catch (InvoicePdfs.Busy e) {
            throw new ConsoleProblem(HttpStatus.SERVICE_UNAVAILABLE,
                    "No se pudo obtener el PDF de Contabilium en este momento. Intente de nuevo en unos minutos.");
        } catch (ApiCallException e) {
            throw e.is(ApiCallException.Kind.NOT_FOUND)
                    ? new ConsoleProblem(HttpStatus.NOT_FOUND, "Contabilium no tiene el comprobante " + documentId + ".")
                    : new ConsoleProblem(HttpStatus.SERVICE_UNAVAILABLE,
                            "No se pudo obtener el PDF de Contabilium en este momento. Intente de nuevo en unos minutos.");
        }
    }

    static String stepLabel(Reconciliations.Progress p) {
        if ("QUEUED".equals(p.state())) {
            return "En cola: empieza en cuanto termine la conciliación anterior.";
        }
        if ("FAILED".equals(p.state())) {
            return "No se pudo terminar: " + p.error();
        }
        if ("DONE".equals(p.state())) {
            return "Terminada.";
        }
        return switch (p.step() == null ? "" : p.step()) {
            case "ORDERS" -> "Leyendo los pedidos del mes en Jumpseller: " + p.ordersRead() + " de " + p.ordersTotal() + ".";
            case "DOCUMENTS" -> "Leyendo los comprobantes en Contabilium: " + p.documentsRead() + " de " + p.documentsTotal() + ".";
            case "CHECKS" -> "Revisando los casos dudosos uno por uno: " + p.checksDone() + " de " + p.checksTotal() + ".";
            case "COMPARING" -> "Comparando.";
            default -> "Empezando.";
        };
    }

    private Reconciliations.Progress own(Link link, String reconciliationId) {
        Reconciliations.Progress progress;
        try {
            progress = reconciliations.progress(reconciliationId);
        } catch (ApiException gone) {
            throw new ConsoleProblem(HttpStatus.NOT_FOUND, "Esa conciliación no existe (las más viejas se borran).");
        }
        if (progress.linkId() != link.getId()) {
            throw new ConsoleProblem(HttpStatus.NOT_FOUND, "Esa conciliación no existe (las más viejas se borran).");
        }
        return progress;
    }

    private Link active(long id) {
        return linkRepository.findById(id).filter(Link::isActive)
                .orElseThrow(() -> new ConsoleProblem(HttpStatus.NOT_FOUND, ConsoleText.PAGE_NOT_FOUND));
    }

    private static YearMonth month(String mes) {
        if (mes != null && !mes.isBlank()) {
            try {
                return YearMonth.parse(mes.trim());
            } catch (DateTimeParseException e) {
                // fall through: the current month
            }
        }
        return YearMonth.now(OrdersController.BUENOS_AIRES);
    }
}
