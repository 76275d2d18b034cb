package ar.connector.links;

import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The "for every link" step of the schedules: the ids of the active links, in id order. A scheduled
 * route splits over them, so one link's failure stays that link's and each link shows as an exchange
 * of its own.
 */
@Component("activeLinks")
public class ActiveLinks {

    private final LinkRepository links;

    public ActiveLinks(LinkRepository links) {
        this.links = links;
    }

    public List<Long> ids() {
        return links.findByUnlinkedAtIsNullOrderById().stream().map(Link::getId).toList();
    }

    public List<Link> all() {
        return links.findByUnlinkedAtIsNullOrderById();
    }
}
