package ar.connector.console;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

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

import ar.connector.api.ApiCallException;
import ar.connector.config.ConnectorProperties;
import ar.connector.documents.InvoicePdfs;
import ar.connector.invoicing.InvoiceRuns;
import ar.connector.invoicing.OrderActions;
import ar.connector.invoicing.OrderRecordRepository;
import ar.connector.invoicing.OrderStatus;
import ar.connector.invoicing.OrderView;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkService;
import ar.connector.links.LinkView;
import ar.connector.receipts.ReceiptText;
import ar.connector.web.ApiException;

/**
 * A store's order log: filters, search, paging, the per-order actions and bulk runs, through the
 * same {@link OrderActions} and {@link InvoiceRuns} the admin API uses. Actions redirect back to
 * the list (post/redirect/get); the page then follows what it started with small JSON reads and,
 * once it ended, says how it ended.
 */
@Controller
@RequestMapping("/console/stores/{id}")
class OrdersController {

    static final int PAGE_SIZE = 25;
    static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");
    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    /** The list's own parameters, carried through every action so the person lands where they were. */
    private static final List<String> LIST_PARAMS = List.of("estado", "q", "pagina");

    private final OrderActions actions;
    private final InvoiceRuns runs;
    private final LinkService links;
    private final LinkRepository linkRepository;
    private final OrderRecordRepository records;
    private final InvoicePdfs pdfs;
    private final Duration pdfWait;

    OrdersController(OrderActions actions, InvoiceRuns runs, LinkService links, LinkRepository linkRepository,
            OrderRecordRepository records, InvoicePdfs pdfs, ConnectorProperties properties) {
        this.actions = actions;
        this.runs = runs;
        this.links = links;
        this.linkRepository = linkRepository;
        this.records = records;
        this.pdfs = pdfs;
        this.pdfWait = properties.documents().maxWait();
    }

    @GetMapping("/orders")
    String orders(@PathVariable long id, @RequestParam(required = false) String estado,
            @RequestParam(required = false) String q, @RequestParam(required = false) String pagina,
            @RequestParam(required = false) String run, @RequestParam(required = false) Long watch,
            @RequestParam(defaultValue = "0") long since, @RequestParam(required = false) String aguardar,
            @RequestParam(required = false) Long resultado, @RequestParam(required = false) String accion,
            @RequestParam(required = false) String desde, @RequestParam(required = false) String hasta, Model model) {
        LinkView store = links.get(id);
        OrderStatus status = parse(estado);
        Page<OrderView> page = page(id, status, q, pagina, model);
        model.addAttribute("store", store);
        model.addAttribute("rows", page.getContent().stream().map(OrderRow::of).toList());
        model.addAttribute("page", page);
        model.addAttribute("estado", status == null ? "" : status.name());
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("statuses", OrderStatus.values());
        model.addAttribute("labels", Arrays.stream(OrderStatus.values())
                .collect(Collectors.toMap(Enum::name, ConsoleText::status)));
        if (run != null && !run.isBlank()) {
            try {
                model.addAttribute("run", RunProgress.of(runs.view(run), records));
            } catch (ApiException gone) {
                // an unknown run id in the address: show the list without it
            }
        }
        model.addAttribute("watch", watch);
        model.addAttribute("since", since);
        // What the page waits for after an action: the order to leave a state, or the receipt to be sent.
        model.addAttribute("awaiting", "comprobante".equals(aguardar) ? "receipt" : "nota".equals(aguardar) ? "INVOICED" : "PENDING");
        model.addAttribute("accion", aguardar == null ? "factura" : aguardar);
        if (resultado != null) {
            outcome(id, resultado, accion, model);
        }
        LocalDate today = LocalDate.now(BUENOS_AIRES);
        model.addAttribute("today", today);
        model.addAttribute("desde", desde == null ? "" : desde);
        model.addAttribute("hasta", hasta == null ? "" : hasta);
        boolean unfiltered = status == null && (q == null || q.isBlank());
        model.addAttribute("firstRun", unfiltered && page.getTotalElements() == 0 ? FirstRun.of(today) : null);
        return "console/orders";
    }

    /**
     * The page asked for, or the nearest one that exists: an address with a page number beyond the
     * log (or not a number at all) shows the first or last page and says so, never an error.
     */
    private Page<OrderView> page(long id, OrderStatus status, String q, String pagina, Model model) {
        int wanted = 0;
        boolean valid = true;
        if (pagina != null && !pagina.isBlank()) {
            try {
                wanted = Integer.parseInt(pagina.trim());
                valid = wanted >= 0;
            } catch (NumberFormatException e) {
                valid = false;
            }
        }
        if (valid) {
            try {
                Page<OrderView> page = actions.search(id, status, q, PageRequest.of(wanted, PAGE_SIZE));
                if (wanted == 0 || wanted < page.getTotalPages()) {
                    return page;
                }
            } catch (ApiException outOfRange) {
                if (outOfRange.status() != HttpStatus.BAD_REQUEST) {
                    throw outOfRange;
                }
            }
        }
        Page<OrderView> first = actions.search(id, status, q, PageRequest.of(0, PAGE_SIZE));
        if (!valid || first.getTotalPages() <= 1) {
            model.addAttribute("problem", "La página pedida no existe: se muestra la primera.");
            return first;
        }
        int last = first.getTotalPages() - 1;
        model.addAttribute("problem", "La página pedida no existe: hay " + first.getTotalPages()
                + " páginas y se muestra la última.");
        return actions.search(id, status, q, PageRequest.of(last, PAGE_SIZE));
    }

    /** How an action the page waited for ended, in the merchant's words. */
    private void outcome(long id, long orderId, String accion, Model model) {
        OrderView order;
        try {
            order = actions.get(id, orderId);
        } catch (ApiException gone) {
            return;
        }
        String problem = null;
        String notice = null;
        switch (accion == null ? "factura" : accion) {
            case "comprobante" -> {
                OrderView.Receipt receipt = order.receipt();
                if (receipt != null && "SENT".equals(receipt.status())) {
                    notice = "Comprobante del pedido #" + orderId + " reenviado" + (receipt.to() == null ? "." : " a " + receipt.to() + ".");
                } else if (receipt != null && "FAILED".equals(receipt.status())) {
                    problem = "No se pudo enviar el comprobante del pedido #" + orderId + ": " + receipt.reason();
                } else {
                    notice = "El comprobante del pedido #" + orderId + " sigue en cola de envío; se enviará en cuanto el correo responda.";
                }
            }
            case "nota" -> {
                if (order.creditNote() != null) {
                    notice = "Nota de crédito " + order.creditNote().tipo() + " " + order.creditNote().numero()
                            + " emitida: anula la factura del pedido #" + orderId + ".";
                } else if (order.status() == OrderStatus.PARKED || order.status() == OrderStatus.FAILED) {
                    problem = "No se pudo emitir la nota de crédito del pedido #" + orderId + ": " + order.reason();
                } else {
                    notice = "La nota de crédito del pedido #" + orderId + " todavía se está emitiendo: actualice la página en unos segundos.";
                }
            }
            default -> {
                if (order.status() == OrderStatus.INVOICED && order.invoice() != null) {
                    notice = "Pedido #" + orderId + " facturado: " + order.invoice().tipo() + " " + order.invoice().numero() + ".";
                } else if (order.status() == OrderStatus.PARKED || order.status() == OrderStatus.FAILED) {
                    problem = "El pedido #" + orderId + " no se pudo facturar: " + order.reason();
                } else if (order.status() == OrderStatus.SKIPPED) {
                    notice = "El pedido #" + orderId + " no se factura: " + order.reason();
                } else {
                    notice = "El pedido #" + orderId + " todavía se está facturando: actualice la página en unos segundos.";
                }
            }
        }
        if (notice != null) {
            model.addAttribute("notice", notice);
        }
        if (problem != null) {
            model.addAttribute("problem", problem);
        }
    }

    /** One row of the table, with what a person may do with it. */
    record OrderRow(OrderView order, String created, String statusLabel, boolean invoiceable, boolean retry,
            boolean skippable, boolean attention, boolean resendable, boolean creditable, String receiptLabel,
            String receiptWhen) {
        private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm").withZone(BUENOS_AIRES);

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

    /**
     * A bulk run as the page shows it. Orders a run finds already invoiced count apart ("ya
     * facturados"): the run made no call for them.
     */
    record RunProgress(String runId, String state, String period, int total, long pending, long done,
            long invoiced, long alreadyInvoiced, long parked, long failed, long skipped, int percent) {

        static RunProgress of(InvoiceRuns.RunView view, OrderRecordRepository records) {
            long already = view.createdAt() == null ? 0 : records.countByRunIdAndStatusInAndInvoicedAtBefore(
                    view.runId(), List.of(OrderStatus.INVOICED, OrderStatus.CREDITED), view.createdAt());
            long done = view.total() - view.pending();
            int percent = view.total() == 0 ? ("RUNNING".equals(view.state()) ? 0 : 100) : (int) (done * 100 / view.total());
            String period = view.from() == null ? null : DAY.format(view.from()) + " al " + DAY.format(view.to());
            return new RunProgress(view.runId(), view.state(), period, view.total(), view.pending(), done,
                    view.invoiced() - already, already, view.parked(), view.failed(), view.skipped(), percent);
        }
    }

    /** "¿Facturar pedidos anteriores?": offered while a store's log is empty, for this month so far. */
    record FirstRun(LocalDate from, LocalDate to) {
        static FirstRun of(LocalDate today) {
            return new FirstRun(today.withDayOfMonth(1), today);
        }
    }

    @PostMapping("/orders/{orderId}/facturar")
    String invoice(@PathVariable long id, @PathVariable long orderId, @RequestParam Map<String, String> back,
            RedirectAttributes redirect) {
        try {
            OrderView before = actions.invoiceNow(id, orderId);
            redirect.addFlashAttribute("notice", "Pedido #" + orderId + " enviado a facturar: esperando el resultado…");
            redirect.addAttribute("since", before.updatedAt() == null ? 0 : before.updatedAt().toEpochMilli());
            return backTo(back, orderId, redirect);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", "No se pudo facturar el pedido #" + orderId + ": " + ConsoleText.general(e));
            return backTo(back, null, redirect);
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
        return backTo(back, null, redirect);
    }

    @PostMapping("/orders/{orderId}/reenviar")
    String resendReceipt(@PathVariable long id, @PathVariable long orderId, @RequestParam Map<String, String> back,
            RedirectAttributes redirect) {
        try {
            OrderView queued = actions.resendReceipt(id, orderId);
            redirect.addFlashAttribute("notice", "Reenviando el comprobante del pedido #" + orderId
                    + (queued.email() == null ? "" : " a " + queued.email()) + ": esperando el resultado…");
            redirect.addAttribute("aguardar", "comprobante");
            return backTo(back, orderId, redirect);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", resendProblem(id, orderId, e));
            return backTo(back, null, redirect);
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
            redirect.addFlashAttribute("notice", "Emitiendo la nota de crédito que anula la factura del pedido #"
                    + orderId + ": esperando el resultado…");
            redirect.addAttribute("since", before.updatedAt() == null ? 0 : before.updatedAt().toEpochMilli());
            redirect.addAttribute("aguardar", "nota");
            return backTo(back, orderId, redirect);
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.status() == HttpStatus.CONFLICT
                    ? "El pedido #" + orderId + " no tiene una factura emitida: no hay nada que anular."
                    : "No se pudo emitir la nota de crédito del pedido #" + orderId + ": " + ConsoleText.general(e));
            return backTo(back, null, redirect);
        }
    }

    @PostMapping("/runs")
    String startRun(@PathVariable long id, @RequestParam(required = false) List<Long> orderIds,
            @RequestParam(required = false) String desde, @RequestParam(required = false) String hasta,
            @RequestParam Map<String, String> back, RedirectAttributes redirect) {
        InvoiceRuns.RunRequest request;
        try {
            if (orderIds != null) {
                request = new InvoiceRuns.RunRequest(null, null, orderIds);
            } else {
                LocalDate from = date(desde);
                LocalDate to = date(hasta);
                if (from == null || to == null) {
                    return rangeProblem("Indique las fechas desde y hasta.", desde, hasta, back, redirect);
                }
                if (to.isBefore(from)) {
                    return rangeProblem("La fecha «Hasta» (" + DAY.format(to) + ") es anterior a «Desde» ("
                            + DAY.format(from) + "): corríjala y vuelva a intentar.", desde, hasta, back, redirect);
                }
                request = new InvoiceRuns.RunRequest(from, to, null);
            }
            String runId = runs.start(id, request);
            redirect.addFlashAttribute("notice", orderIds != null
                    ? "Facturando " + orderIds.size() + (orderIds.size() == 1 ? " pedido." : " pedidos.")
                    : "Facturando los pedidos pagados del " + DAY.format(request.from()) + " al " + DAY.format(request.to()) + ".");
            copy(back, List.of("estado", "q"), redirect);
            redirect.addAttribute("run", runId);
            return "redirect:/console/stores/{id}/orders";
        } catch (ApiException e) {
            return rangeProblem(String.join(" ", ConsoleText.fieldErrors(e).values()), desde, hasta, back, redirect);
        } catch (DateTimeParseException e) {
            return rangeProblem("Indique las fechas desde y hasta.", desde, hasta, back, redirect);
        }
    }

    /** Back to the list with the dates the person typed still in their fields. */
    private static String rangeProblem(String problem, String desde, String hasta, Map<String, String> back,
            RedirectAttributes redirect) {
        redirect.addFlashAttribute("problem", problem);
        if (desde != null && !desde.isBlank()) {
            redirect.addAttribute("desde", desde);
        }
        if (hasta != null && !hasta.isBlank()) {
            redirect.addAttribute("hasta", hasta);
        }
        return backTo(back, null, redirect);
    }

    /** A run's progress for the page's progress bar (the console's twin of GET /api/invoice-runs/{runId}). */
    @GetMapping(path = "/runs/{runId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    RunProgress run(@PathVariable long id, @PathVariable String runId) {
        InvoiceRuns.RunView view = runs.view(runId);
        if (view.linkId() != id) {
            throw ApiException.notFound("No invoice run " + runId);
        }
        return RunProgress.of(view, records);
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

    /** The invoice (or, with {@code documento=nota}, credit note) PDF through the shared PDF cache, named as the buyer's e-mail names it. */
    @GetMapping("/orders/{orderId}/pdf")
    ResponseEntity<byte[]> pdf(@PathVariable long id, @PathVariable long orderId,
            @RequestParam(defaultValue = "factura") String documento) {
        OrderView view = actions.get(id, orderId);
        boolean credit = "nota".equals(documento);
        OrderView.Invoice document = credit ? view.creditNote() : view.invoice();
        if (document == null || document.contabiliumId() == null || document.cae() == null) {
            throw new ConsoleProblem(HttpStatus.NOT_FOUND, "El pedido #" + orderId + " no tiene "
                    + (credit ? "nota de crédito" : "factura") + " emitida.");
        }
        Link link = linkRepository.findById(id).orElseThrow();
        try {
            byte[] pdf = pdfs.pdf(link, document.contabiliumId(), pdfWait);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\""
                            + ReceiptText.fileName(document.tipo(), document.numero()) + "\"")
                    .body(pdf);
        } catch (InvoicePdfs.Busy e) {
            throw new ConsoleProblem(HttpStatus.SERVICE_UNAVAILABLE, "No se pudo obtener el PDF de Contabilium en este momento."
                    + " Intente de nuevo en unos minutos.");
        } catch (ApiCallException e) {
            throw e.is(ApiCallException.Kind.NOT_FOUND)
                    ? new ConsoleProblem(HttpStatus.NOT_FOUND, "Contabilium ya no tiene el comprobante "
                            + document.tipo() + " " + document.numero() + " del pedido #" + orderId
                            + ": revíselo en Contabilium.")
                    : new ConsoleProblem(HttpStatus.SERVICE_UNAVAILABLE, "No se pudo obtener el PDF de Contabilium en este momento."
                            + " Intente de nuevo en unos minutos.");
        }
    }

    /**
     * Back to the list as it was. The list's parameters travel as redirect attributes, which Spring
     * encodes as plain values: a search text such as {@code {x}} is never read as a URI template.
     */
    private static String backTo(Map<String, String> back, Long watch, RedirectAttributes redirect) {
        copy(back, LIST_PARAMS, redirect);
        if (watch != null) {
            redirect.addAttribute("watch", watch);
        }
        return "redirect:/console/stores/{id}/orders";
    }

    private static void copy(Map<String, String> from, List<String> keys, RedirectAttributes redirect) {
        for (String key : keys) {
            String value = from.get(key);
            if (value != null && !value.isBlank()) {
                redirect.addAttribute(key, value);
            }
        }
    }

    private static LocalDate date(String value) {
        return value == null || value.isBlank() ? null : LocalDate.parse(value.trim());
    }

    private static OrderStatus parse(String estado) {
        if (estado == null || estado.isBlank()) {
            return null;
        }
        try {
            return OrderStatus.valueOf(estado.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
