package ar.connector.console;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ar.connector.invoicing.OrderActions;
import ar.connector.invoicing.OrderStatus;
import ar.connector.invoicing.OrderView;
import ar.connector.links.AccountOptions;
import ar.connector.links.Link;
import ar.connector.links.LinkRepository;
import ar.connector.links.LinkRequest;
import ar.connector.links.LinkService;
import ar.connector.links.LinkView;
import ar.connector.sync.SyncRuns;
import ar.connector.web.ApiException;
import ar.connector.web.FieldError;
import jakarta.servlet.http.HttpSession;

/**
 * The stores pages: the linked stores with their health, "Conectar tienda" with the settings
 * dialog, editing and unlinking. Every write goes through {@link LinkService}, the same live
 * check the admin API runs. Form fields carry the API's dotted names, so its field errors land
 * beside the field they name.
 */
@Controller
@RequestMapping("/console")
class StoresController {

    static final String[] CHECKBOXES = {"settings.includeShippingCost", "settings.autoInvoice", "settings.emailReceipts",
        "settings.autoCreditNote"};
    /** The form's secret fields: typed once, never written back into a page. */
    static final List<String> SECRETS = List.of("contabilium.clientSecret", "jumpseller.authToken");

    private final LinkService links;
    private final LinkRepository linkRepository;
    private final AccountOptions options;
    private final OrderActions orders;
    private final StoreHealth health;
    private final ObjectMapper mapper;
    private final SyncRuns syncRuns;
    private final FlowStatus flows;

    StoresController(LinkService links, LinkRepository linkRepository, AccountOptions options, OrderActions orders,
            StoreHealth health, ObjectMapper mapper, SyncRuns syncRuns, FlowStatus flows) {
        this.syncRuns = syncRuns;
        this.flows = flows;
        this.links = links;
        this.linkRepository = linkRepository;
        this.options = options;
        this.orders = orders;
        this.health = health;
        this.mapper = mapper;
    }

    record StoreRow(LinkView link, StoreHealth.Health health, Long lastOrderId, long needsAttention,
            SyncPageController.LastSync lastSync, boolean emptyLog) {
    }

    @GetMapping({"", "/"})
    String home() {
        return "redirect:/console/stores";
    }

    @GetMapping("/login")
    String login() {
        return "console/login";
    }

    @GetMapping("/stores")
    String stores(Model model) {
        List<StoreRow> rows = linkRepository.findByUnlinkedAtIsNullOrderById().stream().map(this::row).toList();
        model.addAttribute("stores", rows);
        model.addAttribute("invoicingStopped", flows.invoicingStopped());
        // Right after "Conectar tienda": offer to invoice what the store sold before, while its log is empty.
        Object connected = model.getAttribute("connected");
        model.addAttribute("offer", rows.stream()
                .filter(r -> connected instanceof Long linkId && r.link().id() == linkId && r.emptyLog())
                .findFirst().orElse(null));
        model.addAttribute("firstRun", OrdersController.FirstRun.of(java.time.LocalDate.now(OrdersController.BUENOS_AIRES)));
        return "console/stores";
    }

    private StoreRow row(Link link) {
        LinkView view = links.get(link.getId());
        Long newestRow = orders.list(link.getId(), null, PageRequest.of(0, 1)).stream()
                .map(OrderView::orderId).findFirst().orElse(null);
        boolean emptyLog = newestRow == null;
        Long lastSeen = link.getLastSeenOrderId();
        Long last = newestRow;
        if (lastSeen != null && (last == null || lastSeen > last)) {
            last = lastSeen;
        }
        long attention = orders.count(link.getId(), OrderStatus.PARKED) + orders.count(link.getId(), OrderStatus.FAILED);
        return new StoreRow(view, health.of(link), last, attention, SyncPageController.LastSync.of(syncRuns, link.getId()),
                emptyLog);
    }

    // ---- Conectar tienda ----

    @GetMapping("/stores/new")
    String newStore(Model model, HttpSession session) {
        HeldSecrets.forget(session, HeldSecrets.NEW);
        Map<String, String> form = new HashMap<>();
        form.put("settings.includeShippingCost", "true");
        form.put("settings.shippingConceptCode", LinkRequest.Settings.DEFAULT_SHIPPING_CONCEPT);
        form.put("settings.defaultIva", "21");
        form.put("settings.condicionDeVenta", LinkRequest.Settings.DEFAULT_CONDICION_DE_VENTA);
        form.put("settings.autoInvoice", "true");
        form.put("settings.emailReceipts", "true");
        form.put("settings.autoCreditNote", "true");
        return formPage(model, null, form, null, Map.of(), Set.of());
    }

    @PostMapping("/stores/new")
    String create(@RequestParam Map<String, String> params, Model model, RedirectAttributes redirect, HttpSession session) {
        Map<String, String> form = formOf(params);
        Set<String> held = HeldSecrets.apply(session, HeldSecrets.NEW, form);
        Map<String, String> errors = new LinkedHashMap<>();
        AccountOptions.Options loaded = loadOptions(form.get("contabilium.clientId"), form.get("contabilium.clientSecret"),
                errors, !"guardar".equals(params.get("accion")));
        if (!"guardar".equals(params.get("accion"))) {
            return formPage(model, null, form, loaded, errors, held);
        }
        errors.clear();
        try {
            LinkRequest request = request(form);
            LinkView created = links.create(request);
            health.forget(created.id());
            HeldSecrets.forget(session, HeldSecrets.NEW);
            redirect.addFlashAttribute("notice", "Tienda «" + created.name() + "» conectada.");
            redirect.addFlashAttribute("connected", created.id());
            return "redirect:/console/stores";
        } catch (ApiException e) {
            errors.putAll(ConsoleText.fieldErrors(e));
            if (blank(form.get("name"))) {
                // The name is optional (the store code stands in for it): its error only echoes the code's.
                errors.remove("name");
            }
            return formPage(model, null, form, loaded, errors, held);
        }
    }

    // ---- Editar ----

    @GetMapping("/stores/{id}/edit")
    String edit(@PathVariable long id, Model model, HttpSession session) {
        Link link = active(id);
        HeldSecrets.forget(session, String.valueOf(id));
        LinkView view = links.get(id);
        Map<String, String> form = new HashMap<>();
        form.put("name", view.name());
        form.put("contabilium.clientId", view.contabilium().clientId());
        form.put("jumpseller.storeCode", view.jumpseller().storeCode());
        form.put("jumpseller.login", view.jumpseller().login());
        LinkView.Settings s = view.settings();
        form.put("settings.includeShippingCost", String.valueOf(s.includeShippingCost()));
        form.put("settings.shippingConceptCode", s.shippingConceptCode());
        form.put("settings.defaultIva", s.defaultIva().toPlainString());
        form.put("settings.puntoDeVentaId", str(s.puntoDeVentaId()));
        form.put("settings.depositoId", str(s.depositoId()));
        form.put("settings.condicionDeVenta", s.condicionDeVenta());
        form.put("settings.listaDePreciosId", str(s.listaDePreciosId()));
        form.put("settings.autoInvoice", String.valueOf(s.autoInvoice()));
        form.put("settings.emailReceipts", String.valueOf(s.emailReceipts()));
        form.put("settings.alertEmail", s.alertEmail() == null ? "" : s.alertEmail());
        form.put("settings.autoCreditNote", String.valueOf(s.autoCreditNote()));
        Map<String, String> errors = new LinkedHashMap<>();
        AccountOptions.Options loaded = loadOptions(link.getContabiliumClientId(), link.getContabiliumClientSecret(), errors, true);
        return formPage(model, view, form, loaded, errors, Set.of());
    }

    @PostMapping("/stores/{id}/edit")
    String update(@PathVariable long id, @RequestParam Map<String, String> params, Model model, RedirectAttributes redirect,
            HttpSession session) {
        Link link = active(id);
        LinkView view = links.get(id);
        Map<String, String> form = formOf(params);
        Set<String> held = HeldSecrets.apply(session, String.valueOf(id), form);
        String secret = blank(form.get("contabilium.clientSecret")) ? link.getContabiliumClientSecret()
                : form.get("contabilium.clientSecret");
        Map<String, String> errors = new LinkedHashMap<>();
        boolean save = "guardar".equals(params.get("accion"));
        AccountOptions.Options loaded = loadOptions(form.get("contabilium.clientId"), secret, errors, !save);
        if (!save) {
            return formPage(model, view, form, loaded, errors, held);
        }
        errors.clear();
        try {
            links.patch(id, patch(form));
            health.forget(id);
            HeldSecrets.forget(session, String.valueOf(id));
            redirect.addFlashAttribute("notice", "Cambios guardados.");
            return "redirect:/console/stores";
        } catch (ApiException e) {
            errors.putAll(ConsoleText.fieldErrors(e));
            return formPage(model, view, form, loaded, errors, held);
        }
    }

    // ---- Desconectar ----

    @GetMapping("/stores/{id}/unlink")
    String confirmUnlink(@PathVariable long id, Model model) {
        active(id);
        model.addAttribute("store", links.get(id));
        return "console/unlink";
    }

    @PostMapping("/stores/{id}/unlink")
    String unlink(@PathVariable long id, RedirectAttributes redirect) {
        LinkView view = links.get(id);
        links.unlink(id);
        health.forget(id);
        redirect.addFlashAttribute("notice", "Tienda «" + view.name() + "» desconectada. Su historial se conserva.");
        return "redirect:/console/stores";
    }

    // ---- helpers ----

    /**
     * Secrets typed into a store form, held in the person's session (server side, never in a page)
     * while the form goes back and forth ("Cargar opciones", a refused save), so they are typed once.
     * Forgotten when the form is saved or opened afresh.
     */
    static final class HeldSecrets {
        static final String NEW = "new";

        private HeldSecrets() {
        }

        /** Holds what was typed now; fills blank secret fields with what was typed before. Answers the held fields. */
        static Set<String> apply(HttpSession session, String formKey, Map<String, String> form) {
            @SuppressWarnings("unchecked")
            Map<String, String> held = (Map<String, String>) session.getAttribute(key(formKey));
            Map<String, String> now = held == null ? new HashMap<>() : new HashMap<>(held);
            for (String field : SECRETS) {
                if (!blank(form.get(field))) {
                    now.put(field, form.get(field));
                } else if (now.containsKey(field)) {
                    form.put(field, now.get(field));
                }
            }
            session.setAttribute(key(formKey), now);
            return Set.copyOf(now.keySet());
        }

        static void forget(HttpSession session, String formKey) {
            session.removeAttribute(key(formKey));
        }

        private static String key(String formKey) {
            return "console.heldSecrets." + formKey;
        }
    }

    private String formPage(Model model, LinkView editing, Map<String, String> form, AccountOptions.Options loaded,
            Map<String, String> errors, Set<String> held) {
        model.addAttribute("editing", editing);
        model.addAttribute("held", held);
        model.addAttribute("form", form);
        model.addAttribute("options", loaded);
        model.addAttribute("errors", errors);
        model.addAttribute("ivaRates", ConsoleText.IVA_RATES);
        return "console/store-form";
    }

    /** Reads the account's choices; a refusal is shown beside the key only when the person asked for them. */
    private AccountOptions.Options loadOptions(String clientId, String secret, Map<String, String> errors, boolean report) {
        if (blank(clientId) || blank(secret)) {
            if (report) {
                errors.put(blank(clientId) ? "contabilium.clientId" : "contabilium.clientSecret",
                        blank(clientId) ? "Ingrese el e-mail de API de Contabilium." : "Ingrese la clave de API de Contabilium.");
            }
            return null;
        }
        try {
            return options.read(new AccountOptions.Credentials(clientId, secret));
        } catch (ApiException e) {
            if (report) {
                ConsoleText.fieldErrors(e).forEach((field, message) ->
                        errors.put(field.isEmpty() ? "" : "contabilium." + field, message));
            }
            return null;
        }
    }

    private static Map<String, String> formOf(Map<String, String> params) {
        Map<String, String> form = new HashMap<>(params);
        form.remove("_csrf");
        form.remove("accion");
        for (String box : CHECKBOXES) {
            form.put(box, String.valueOf(params.containsKey(box)));
        }
        return form;
    }

    private LinkRequest request(Map<String, String> f) {
        List<FieldError> errors = new java.util.ArrayList<>();
        String name = blank(f.get("name")) ? f.getOrDefault("jumpseller.storeCode", "") : f.get("name");
        LinkRequest.Settings settings = new LinkRequest.Settings(
                Boolean.valueOf(f.get("settings.includeShippingCost")),
                emptyToNull(f.get("settings.shippingConceptCode")),
                decimal(f.get("settings.defaultIva"), "settings.defaultIva", errors),
                number(f.get("settings.puntoDeVentaId"), "settings.puntoDeVentaId", errors),
                number(f.get("settings.depositoId"), "settings.depositoId", errors),
                emptyToNull(f.get("settings.condicionDeVenta")),
                number(f.get("settings.listaDePreciosId"), "settings.listaDePreciosId", errors),
                Boolean.valueOf(f.get("settings.autoInvoice")),
                Boolean.valueOf(f.get("settings.emailReceipts")),
                emptyToNull(f.get("settings.alertEmail")),
                Boolean.valueOf(f.get("settings.autoCreditNote")));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new LinkRequest(name,
                new LinkRequest.Contabilium(trim(f.get("contabilium.clientId")), emptyToNull(f.get("contabilium.clientSecret"))),
                new LinkRequest.Jumpseller(trim(f.get("jumpseller.storeCode")), trim(f.get("jumpseller.login")),
                        emptyToNull(f.get("jumpseller.authToken")), emptyToNull(f.get("jumpseller.hooksToken"))),
                settings);
    }

    /** A merge patch of what the form shows; blank secrets mean "unchanged", blank optional choices remove them. */
    private ObjectNode patch(Map<String, String> f) {
        List<FieldError> errors = new java.util.ArrayList<>();
        ObjectNode patch = mapper.createObjectNode();
        if (!blank(f.get("name"))) {
            patch.put("name", f.get("name").trim());
        }
        ObjectNode cb = patch.putObject("contabilium");
        cb.put("clientId", trim(f.get("contabilium.clientId")));
        if (!blank(f.get("contabilium.clientSecret"))) {
            cb.put("clientSecret", f.get("contabilium.clientSecret"));
        }
        ObjectNode js = patch.putObject("jumpseller");
        js.put("login", trim(f.get("jumpseller.login")));
        if (!blank(f.get("jumpseller.authToken"))) {
            js.put("authToken", f.get("jumpseller.authToken"));
        }
        ObjectNode s = patch.putObject("settings");
        s.put("includeShippingCost", Boolean.parseBoolean(f.get("settings.includeShippingCost")));
        s.put("shippingConceptCode", emptyToNull(f.get("settings.shippingConceptCode")));
        s.put("defaultIva", decimal(f.get("settings.defaultIva"), "settings.defaultIva", errors));
        s.put("puntoDeVentaId", number(f.get("settings.puntoDeVentaId"), "settings.puntoDeVentaId", errors));
        s.put("depositoId", number(f.get("settings.depositoId"), "settings.depositoId", errors));
        s.put("condicionDeVenta", emptyToNull(f.get("settings.condicionDeVenta")));
        s.put("listaDePreciosId", number(f.get("settings.listaDePreciosId"), "settings.listaDePreciosId", errors));
        s.put("autoInvoice", Boolean.parseBoolean(f.get("settings.autoInvoice")));
        s.put("emailReceipts", Boolean.parseBoolean(f.get("settings.emailReceipts")));
        s.put("alertEmail", emptyToNull(f.get("settings.alertEmail")));
        s.put("autoCreditNote", Boolean.parseBoolean(f.get("settings.autoCreditNote")));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return patch;
    }

    private Link active(long id) {
        return linkRepository.findById(id).filter(Link::isActive)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "No active link with id " + id));
    }

    private static Long number(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            return null;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a number"));
            return null;
        }
    }

    private static BigDecimal decimal(String value, String field, List<FieldError> errors) {
        if (blank(value)) {
            return null;
        }
        try {
            return new BigDecimal(value.trim().replace(',', '.'));
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a number"));
            return null;
        }
    }

    private static String str(Long value) {
        return value == null ? "" : value.toString();
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static String emptyToNull(String value) {
        return blank(value) ? null : value.trim();
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
