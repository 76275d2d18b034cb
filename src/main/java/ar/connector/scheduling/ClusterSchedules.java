package ar.connector.scheduling;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes an operator's stop of a scheduled route apply to the whole cluster. The schedules are
 * camel-quartz triggers; with the clustered JDBC job store (PostgreSQL) one trigger is shared by
 * every replica and each fire runs on one of them. camel-quartz 4.17 pauses a trigger when its route
 * stops, except with a clustered store, where it leaves the trigger alone (so that a replica shutting
 * down does not stop the schedule for the others): a replica whose route was stopped would silently
 * skip the fires it happens to acquire while the others kept running theirs. This policy pauses the
 * shared trigger when an operator stops (or suspends) the route and resumes it when they start it
 * again; a route stopped because its CamelContext shuts down, or started while it starts up, leaves
 * the trigger as it is, so a paused schedule stays paused across restarts. With Quartz's RAM store
 * (one instance, H2) camel-quartz's own pause already does this, and the policy does nothing.
 */
@Component
public class ClusterSchedules implements RoutePolicyFactory {

    private static final Logger log = LoggerFactory.getLogger(ClusterSchedules.class);

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onStop(Route stopped) {
                pauseSchedule(stopped);
            }

            @Override
            public void onSuspend(Route suspended) {
                pauseSchedule(suspended);
            }

            @Override
            public void onStart(Route started) {
                resumeSchedule(started);
            }

            @Override
            public void onResume(Route resumed) {
                resumeSchedule(resumed);
            }
        };
    }

    private static void pauseSchedule(Route route) {
        CamelContext camel = route.getCamelContext();
        if (!camel.isStopping() && !camel.isStopped()) {
            apply(route, "paused", Scheduler::pauseTrigger);
        }
    }

    private static void resumeSchedule(Route route) {
        if (route.getCamelContext().isStarted()) {
            apply(route, "resumed", Scheduler::resumeTrigger);
        }
    }

    private interface TriggerAction {
        void apply(Scheduler scheduler, TriggerKey trigger) throws SchedulerException;
    }

    private static void apply(Route route, String done, TriggerAction action) {
        QuartzEndpoint endpoint = sharedSchedule(route);
        if (endpoint == null) {
            return;
        }
        try {
            action.apply(scheduler(endpoint), endpoint.getTriggerKey());
            log.info("Route {}: schedule {} {} for the whole cluster", route.getRouteId(), endpoint.getTriggerKey(), done);
        } catch (SchedulerException e) {
            throw new IllegalStateException("Could not change the schedule of route " + route.getRouteId(), e);
        }
    }

    /** The route's Quartz endpoint when its trigger lives in a clustered job store, else null. */
    private static QuartzEndpoint sharedSchedule(Route route) {
        Endpoint endpoint = route.getEndpoint();
        if (!(endpoint instanceof QuartzEndpoint quartz)) {
            return null;
        }
        try {
            Scheduler scheduler = scheduler(quartz);
            return scheduler != null && scheduler.getMetaData().isJobStoreClustered() ? quartz : null;
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Scheduler scheduler(QuartzEndpoint endpoint) {
        return endpoint.getComponent().getScheduler();
    }
}
