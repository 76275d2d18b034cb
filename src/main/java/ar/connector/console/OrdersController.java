package ar.connector.console;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
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
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.documents.InvoicePdfs;
import ar.connector.invoicing.InvoiceRuns;
import ar.connector.invoicing.OrderActions;
import ar.connector.invoicing.OrderStatus;
import ar.connector.invoicing.OrderView;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkService;
import ar.connector.web.ApiException;

/**
 * A store's order log: filters, search, paging, the per-order actions and bulk runs, through the
 * same {@link OrderActions} and {@link InvoiceRuns} the admin API uses. Actions redirect back to
 * the list (post/redirect/get); the page then follows what it started with small JSON reads.
 */
@Controller
@RequestMapping("/console/stores/{id}")
class OrdersController {

    static final int PAGE_SIZE = 25;

    private final OrderActions actions;
    private final InvoiceRuns runs;
    private final LinkService links;
    private final LinkRepository linkRepository;
    private final InvoicePdfs pdfs;
    private final Duration pdfWait;

    OrdersController(OrderActions actions, InvoiceRuns runs, LinkService links, LinkRepository linkRepository,
            InvoicePdfs pdfs, ConnectorProperties properties) {
        this.actions = actions;
        this.runs = runs;
        this.links = links;
        this.linkRepository = linkRepository;
        this.pdfs = pdfs;
        this.pdfWait = properties.documents().maxWait();
    }

    @GetMapping("/orders")
    String orders(@PathVariable long id, @RequestParam(required = false) String estado,
            @RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int pagina,
            @RequestParam(required = false) String run, @RequestParam(required = false) Long watch,
            @RequestParam(defaultValue = "0") long since, @RequestParam(required = false) String aguardar, Model model) {
        OrderStatus status = parse(estado);
        Page<OrderView> page = actions.search(id, status, q, PageRequest.of(Math.max(0, pagina), PAGE_SIZE));
        model.addAttribute("store", links.get(id));
        model.addAttribute("rows", page.getContent().stream().map(OrderRow::of).toList());
        model.addAttribute("page", page);
        model.addAttribute("estado", status == null ? "" : status.name());
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("statuses", OrderStatus.values());
        model.addAttribute("labels", java.util.Arrays.stream(OrderStatus.values())
                .collect(java.util.stream.Collectors.toMap(Enum::name, ConsoleText::status)));
        if (run != null && !run.isBlank()) {
            try {
                model.addAttribute("run", runs.view(run));
            } catch (ApiException gone) {
                // an unknown run id in the address: show the list without it
            }
        }
        model.addAttribute("watch", watch);
        model.addAttribute("since", since);
        // What the page waits for after an action: the order to leave a state, or the receipt to be sent.
        model.addAttribute("awaiting", "comprobante".equals(aguardar) ? "receipt" : "nota".equals(aguardar) ? "INVOICED" : "PENDING");
        model.addAttribute("today", LocalDate.now(java.time.ZoneId.of("America/Argentina/Buenos_Aires")));
        return "console/orders";
    }

    /** One row of the table, with what a person may do with it. */
    record OrderRow(OrderView order, String created, String statusLabel, boolean invoiceable, boolean retry,
            boolean skippable, boolean attention, boolean resendable, boolean creditable, String receiptLabel,
            String receiptWhen) {
        private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
                .ofPattern("dd/MM/yyyy HH:mm").withZone(java.time.ZoneId.of("America/Argentina/Buenos_Aires"));

        static OrderRow of(OrderView o) {
            boolean attention = o.status() == OrderStatus.PARKED || o.status() == OrderStatus.FAILED;
            boolean issued = o.invoice() != null
                    && (o.status() == OrderStatus.INVOICED || o.status() == OrderStatus.CREDITED);
            OrderView.Receipt receipt = o.receipt();
            return new OrderRow(o, o.orderCreatedAt() == null ? "" : WHEN.format(o.orderCreatedAt()),
                    ConsoleText.status(o.status()),
                    o.status() == OrderStatus.PENDING || attention, attention,
                    o.status() == OrderStatus.PENDING || attention, attention,
                    issued && !(receipt != null && "PENDING".equals(receipt.status())),
                    o.status() == OrderStatus.INVOICED && o.creditNote() == null,
                    receipt == null ? null : ConsoleText.receipt(receipt),
                    receipt == null || receipt.sentAt() == null ? null : WHEN.format(receipt.sentAt()));
        }
    }

    @PostMapping("/orders/{orderId}/facturar")
    String invoice(@PathVariable long id, @PathVariable long orderId, @RequestParam Map<String, String> back,
            RedirectAttributes redirect) {
        try {
            OrderView before = actions.invoiceNow(id, orderId);
            redirect.addFlashAttribute("notice", "Pedido #" + orderId + " enviado a facturar.");
            redirect.addAttribute("since", before.updatedAt() == null ? 0 : before.updatedAt().toEpochMilli());
            return backTo(id, back, orderId);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", "No se pudo facturar el pedido #" + orderId + ": " + ConsoleText.general(e));
            return backTo(id, back, null);
        }
    }

    @PostMapping("/orders/{orderId}/omitir")
    String skip(@PathVariable long id, @PathVariable long orderId, @RequestParam Map<String, String> back,
            RedirectAttributes redirect) {
        try {
            actions.skip(id, orderId);
            redirect.addFlashAttribute("notice", "Pedido #" + orderId + " omitido: no se facturará aquí.");
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.status() == HttpStatus.CONFLICT
                    ? "El pedido #" + orderId + " ya está facturado o en curso: no se puede omitir."
                    : "No se pudo omitir el pedido #" + orderId + ".");
        }
        return backTo(id, back, null);
    }

    @PostMapping("/orders/{orderId}/reenviar")
    String resendReceipt(@PathVariable long id, @PathVariable long orderId, @RequestParam Map<String, String> back,
            RedirectAttributes redirect) {
        try {
            OrderView queued = actions.resendReceipt(id, orderId);
            redirect.addFlashAttribute("notice", "Reenviando el comprobante del pedido #" + orderId
                    + (queued.email() == null ? "." : " a " + queued.email() + "."));
            redirect.addAttribute("aguardar", "comprobante");
            return backTo(id, back, orderId);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", resendProblem(id, orderId, e));
            return backTo(id, back, null);
        }
    }

    private String resendProblem(long id, long orderId, ApiException e) {
        if (e.status() != HttpStatus.CONFLICT) {
            return "No se pudo reenviar el comprobante del pedido #" + orderId + ": " + ConsoleText.general(e);
        }
        // The action answers 409 for two reasons; the order's row says which one it was.
        boolean invoiced = actions.get(id, orderId).invoice() != null;
        return invoiced
                ? "El comprobante del pedido #" + orderId + " se está enviando en este momento: espere a que termine y vuelva a intentarlo."
                : "El pedido #" + orderId + " todavía no tiene factura: no hay comprobante para reenviar.";
    }

    @PostMapping("/orders/{orderId}/nota-de-credito")
    String creditNote(@PathVariable long id, @PathVariable long orderId, @RequestParam Map<String, String> back,
            RedirectAttributes redirect) {
        try {
            OrderView before = actions.creditNote(id, orderId);
            redirect.addFlashAttribute("notice", "Emitiendo la nota de crédito que anula la factura del pedido #" + orderId + ".");
            redirect.addAttribute("since", before.updatedAt() == null ? 0 : before.updatedAt().toEpochMilli());
            redirect.addAttribute("aguardar", "nota");
            return backTo(id, back, orderId);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.status() == HttpStatus.CONFLICT
                    ? "El pedido #" + orderId + " no tiene una factura emitida: no hay nada que anular."
                    : "No se pudo emitir la nota de crédito del pedido #" + orderId + ": " + ConsoleText.general(e));
            return backTo(id, back, null);
        }
    }

    @PostMapping("/runs")
    String startRun(@PathVariable long id, @RequestParam(required = false) List<Long> orderIds,
            @RequestParam(required = false) String desde, @RequestParam(required = false) String hasta,
            @RequestParam Map<String, String> back, RedirectAttributes redirect) {
        InvoiceRuns.RunRequest request;
        try {
            request = orderIds != null
                    ? new InvoiceRuns.RunRequest(null, null, orderIds)
                    : new InvoiceRuns.RunRequest(date(desde), date(hasta), null);
            String runId = runs.start(id, request);
            redirect.addFlashAttribute("notice", orderIds != null
                    ? "Facturando " + orderIds.size() + (orderIds.size() == 1 ? " pedido." : " pedidos.")
                    : "Facturando los pedidos pagados del " + desde + " al " + hasta + ".");
            return "redirect:" + UriComponentsBuilder.fromPath("/console/stores/{id}/orders")
                    .queryParam("estado", back.getOrDefault("estado", ""))
                    .queryParam("q", back.getOrDefault("q", ""))
                    .queryParam("run", runId).buildAndExpand(id).encode().toUriString();
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", String.join(" ", ConsoleText.fieldErrors(e).values()));
            return backTo(id, back, null);
        } catch (java.time.format.DateTimeParseException e) {
            redirect.addFlashAttribute("problem", "Indique las fechas desde y hasta.");
            return backTo(id, back, null);
        }
    }

    /** A run's progress for the page's progress bar (the console's twin of GET /api/invoice-runs/{runId}). */
    @GetMapping(path = "/runs/{runId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    InvoiceRuns.RunView run(@PathVariable long id, @PathVariable String runId) {
        InvoiceRuns.RunView view = runs.view(runId);
        if (view.linkId() != id) {
            throw ApiException.notFound("No invoice run " + runId);
        }
        return view;
    }

    /** One order's state, for a page waiting for an action it started. */
    @GetMapping(path = "/orders/{orderId}/estado", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, Object> orderState(@PathVariable long id, @PathVariable long orderId) {
        OrderView view = actions.get(id, orderId);
        return Map.of("orderId", orderId, "status", view.status().name(), "label", ConsoleText.status(view.status()),
                "updatedAt", view.updatedAt() == null ? 0 : view.updatedAt().toEpochMilli(),
                "receipt", view.receipt() == null ? "" : view.receipt().status(),
                "receiptCount", view.receipt() == null ? 0 : view.receipt().count());
    }

    /** The invoice (or, with {@code documento=nota}, credit note) PDF, through the shared PDF cache. */
    @GetMapping("/orders/{orderId}/pdf")
    ResponseEntity<byte[]> pdf(@PathVariable long id, @PathVariable long orderId,
            @RequestParam(defaultValue = "factura") String documento) {
        OrderView view = actions.get(id, orderId);
        boolean credit = "nota".equals(documento);
        OrderView.Invoice document = credit ? view.creditNote() : view.invoice();
        if (document == null || document.contabiliumId() == null || document.cae() == null) {
            throw ApiException.notFound("Order " + orderId + " has no " + (credit ? "credit note" : "invoice"));
        }
        Link link = linkRepository.findById(id).orElseThrow();
        try {
            byte[] pdf = pdfs.pdf(link, document.contabiliumId(), pdfWait);
            String name = (credit ? "nota-de-credito-" : "factura-") + (document.numero() == null ? orderId : document.numero()) + ".pdf";
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
                    .body(pdf);
        } catch (ApiCallException | InvoicePdfs.Busy e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Contabilium could not be reached for the PDF");
        }
    }

    private static String backTo(long id, Map<String, String> back, Long watch) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/console/stores/{id}/orders");
        for (String key : List.of("estado", "q", "pagina")) {
            String value = back.get(key);
            if (value != null && !value.isBlank()) {
                uri.queryParam(key, value);
            }
        }
        if (watch != null) {
            uri.queryParam("watch", watch);
        }
        return "redirect:" + uri.buildAndExpand(id).encode().toUriString();
    }

    private static LocalDate date(String value) {
        return value == null || value.isBlank() ? null : LocalDate.parse(value.trim());
    }

    private static OrderStatus parse(String estado) {
        if (estado == null || estado.isBlank()) {
            return null;
        }
        try {
            return OrderStatus.valueOf(estado.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
