package io.switchboard.chat.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;
import io.switchboard.chat.workspace.Search;
import io.switchboard.common.security.Roles;

/** Search over every conversation's messages, notes and contacts: agents only. */
@Path("/api/search")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AGENT)
@Blocking
public class SearchResource {
    private final Search search;

    SearchResource(Search search) {
        this.search = search;
    }

    @GET
    public Search.Results search(@QueryParam("q") String q, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("20") int size) {
        return search.search(q, page, size);
    }
}
