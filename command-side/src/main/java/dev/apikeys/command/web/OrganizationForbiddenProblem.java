package dev.apikeys.command.web;

import dev.apikeys.runtime.problem.ProblemException;
import org.springframework.http.HttpStatus;

/** 403: the request names an organization that is not among the token's {@code org_ids}. */
class OrganizationForbiddenProblem extends ProblemException {

    OrganizationForbiddenProblem() {
        super(HttpStatus.FORBIDDEN, "/problems/organization-forbidden", "Organization not allowed",
                "You do not belong to the organization named in organization_id.");
    }
}
