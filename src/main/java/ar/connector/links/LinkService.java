package ar.connector.links;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ar.connector.web.ApiException;
import ar.connector.web.FieldError;
import ar.connector.web.ProblemHandler;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/** Creates, reads, patches and unlinks account links; the database arbitrates races on a store. */
@Service
public class LinkService {

    private static final Logger log = LoggerFactory.getLogger(LinkService.class);

    private final LinkRepository links;
    private final Validator validator;
    private final ObjectMapper mapper;
    private final LinkVerifier verifier;
    private final ApplicationEventPublisher events;

    public LinkService(LinkRepository links, Validator validator, ObjectMapper mapper, LinkVerifier verifier,
            ApplicationEventPublisher events) {
        this.links = links;
        this.validator = validator;
        this.mapper = mapper;
        this.verifier = verifier;
        this.events = events;
    }

    @Transactional
    public LinkView create(LinkRequest request) {
        LinkRequest valid = validated(request);
        String storeCode = valid.jumpseller().storeCode();
        if (links.existsByActiveStoreCode(storeCode)) {
            throw alreadyLinked(storeCode);
        }
        LinkVerifier.Verified verified = verifier.verify(valid);
        Link link = new Link(storeCode);
        apply(valid, link, verified);
        // SPEC §2: a new link invoices only orders newer than the newest one at link time.
        link.setStartAfterOrderId(verified.newestOrderId().orElse(0L));
        Link saved = saveAndFlush(link);
        events.publishEvent(new LinkEvents.Saved(saved.getId()));
        log.info("Linked store {} to Contabilium account {} as link {}", storeCode,
                valid.contabilium().clientId(), saved.getId());
        return LinkView.of(saved);
    }

    @Transactional(readOnly = true)
    public List<LinkView> list(boolean includeUnlinked) {
        List<Link> found = includeUnlinked ? links.findAllByOrderById() : links.findByUnlinkedAtIsNullOrderById();
        return found.stream().map(LinkView::of).toList();
    }

    @Transactional(readOnly = true)
    public LinkView get(long id) {
        return LinkView.of(links.findById(id).orElseThrow(() -> notFound(id)));
    }

    @Transactional
    public LinkView patch(long id, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    "A merge patch must be a JSON object");
        }
        Link link = activeLink(id);
        JsonNode current = mapper.valueToTree(toRequest(link));
        JsonNode merged = MergePatch.apply(current, patch);
        LinkRequest request;
        try {
            request = mapper.treeToValue(merged, LinkRequest.class);
        } catch (JsonProcessingException e) {
            List<FieldError> errors = ProblemHandler.JsonErrors.fieldErrors(e);
            throw errors.isEmpty()
                    ? new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "The patch does not fit a link")
                    : ApiException.invalid(errors);
        }
        LinkRequest valid = validated(request);
        String storeCode = valid.jumpseller().storeCode();
        boolean storeChanged = !storeCode.equals(link.getJumpsellerStoreCode());
        if (storeChanged && links.existsByActiveStoreCode(storeCode)) {
            throw alreadyLinked(storeCode);
        }
        LinkVerifier.Verified verified = verifier.verify(valid);
        apply(valid, link, verified);
        if (storeChanged) {
            link.setStartAfterOrderId(verified.newestOrderId().orElse(0L));
        }
        link.touch();
        Link saved = saveAndFlush(link);
        events.publishEvent(new LinkEvents.Saved(saved.getId()));
        log.info("Updated link {} (store {})", saved.getId(), storeCode);
        return LinkView.of(saved);
    }

    @Transactional
    public void unlink(long id) {
        Link link = activeLink(id);
        link.unlink();
        events.publishEvent(new LinkEvents.Unlinked(id, link.getJumpsellerStoreCode(), link.getJumpsellerLogin(),
                link.getJumpsellerAuthToken()));
        log.info("Unlinked store {} (link {}); its history is kept", link.getJumpsellerStoreCode(), id);
    }

    /** The full document of a link, credentials included, that a merge patch applies to. */
    LinkRequest toRequest(Link link) {
        LinkSettings s = link.getSettings();
        return new LinkRequest(link.getName(),
                new LinkRequest.Contabilium(link.getContabiliumClientId(), link.getContabiliumClientSecret()),
                new LinkRequest.Jumpseller(link.getJumpsellerStoreCode(), link.getJumpsellerLogin(),
                        link.getJumpsellerAuthToken(), link.getJumpsellerHooksToken()),
                new LinkRequest.Settings(s.isIncludeShippingCost(), s.getShippingConceptCode(), s.getDefaultIva(),
                        s.getPuntoDeVentaId(), s.getDepositoId(), s.getCondicionDeVenta(), s.getListaDePreciosId(),
                        s.isAutoInvoice(), s.isEmailReceipts(), s.getAlertEmail(), s.isAutoCreditNote()));
    }

    private LinkRequest validated(LinkRequest request) {
        if (request == null) {
            throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "A link document is required");
        }
        Set<ConstraintViolation<LinkRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            List<FieldError> errors = violations.stream()
                    .map(v -> new FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(FieldError::field).thenComparing(FieldError::message))
                    .toList();
            throw ApiException.invalid(errors);
        }
        return new LinkRequest(request.name().trim(), request.contabilium(), request.jumpseller(),
                request.settings().withDefaults());
    }

    private static void apply(LinkRequest request, Link link, LinkVerifier.Verified verified) {
        link.setName(request.name());
        link.setContabiliumClientId(request.contabilium().clientId());
        link.setContabiliumClientSecret(request.contabilium().clientSecret());
        link.setJumpsellerStoreCode(request.jumpseller().storeCode());
        link.setJumpsellerLogin(request.jumpseller().login());
        link.setJumpsellerAuthToken(request.jumpseller().authToken());
        link.setJumpsellerHooksToken(verified.hooksToken());
        LinkRequest.Settings in = request.settings();
        LinkSettings s = link.getSettings();
        s.setIncludeShippingCost(in.includeShippingCost());
        s.setShippingConceptCode(in.shippingConceptCode());
        s.setDefaultIva(in.defaultIva());
        s.setPuntoDeVentaId(in.puntoDeVentaId());
        s.setDepositoId(in.depositoId());
        s.setCondicionDeVenta(verified.condicionDeVenta());
        s.setListaDePreciosId(in.listaDePreciosId());
        s.setAutoInvoice(in.autoInvoice());
        s.setEmailReceipts(in.emailReceipts());
        s.setAlertEmail(in.alertEmail());
        s.setAutoCreditNote(in.autoCreditNote());
    }

    private Link saveAndFlush(Link link) {
        try {
            return links.saveAndFlush(link);
        } catch (DataIntegrityViolationException e) {
            // The only unique constraint a link write can break is one active link per store.
            throw alreadyLinked(link.getJumpsellerStoreCode());
        }
    }

    private Link activeLink(long id) {
        Link link = links.findById(id).orElseThrow(() -> notFound(id));
        if (!link.isActive()) {
            throw ApiException.notFound("Link " + id + " was unlinked; link the store again with POST /api/links");
        }
        return link;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("No link with id " + id);
    }

    private static ApiException alreadyLinked(String storeCode) {
        return ApiException.conflict("The Jumpseller store '" + storeCode
                + "' is already linked to a Contabilium account; unlink it first");
    }
}
