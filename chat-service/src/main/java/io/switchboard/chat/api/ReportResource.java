package io.switchboard.chat.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.chat.workspace.Reports;
import io.switchboard.common.security.Roles;

/** The team's figures over a range of days: admins only, since they show each agent's and the AI's work. */
@Path("/api/reports")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Blocking
public class ReportResource {
    private final Reports reports;

    ReportResource(Reports reports) {
        this.reports = reports;
    }

    /** {@code from} and {@code to} are whole days (inclusive) in {@code tz}; the default is the last 7 days in UTC. */
    @GET
    public Reports.Report report(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("tz") String tz) {
        return reports.report(from, to, tz);
    }
}
