// custom search attributes that make cases findable in the Temporal Web UI.
// Registered on the dev server from temporal-dev.yml; a unit test keeps both in step.
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';

export const CASE_TYPE = defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD);
export const CASE_STATUS = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const COMPANY_ID = defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD);
export const CASE_REFERENCE = defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD);
/** The handler who took the case (set when taken; service requests). */
export const CASE_ASSIGNEE = defineSearchAttributeKey('CaseAssignee', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [CASE_TYPE, CASE_STATUS, COMPANY_ID, CASE_REFERENCE, CASE_ASSIGNEE];

/** The attributes a case workflow is started with; its status is kept current by recordAction. */
export function caseSearchAttributes(c: { caseType: string; companyId: string; number: string; status: string }): SearchAttributePair[] {
  return [
    { key: CASE_TYPE, value: c.caseType },
    { key: COMPANY_ID, value: c.companyId },
    { key: CASE_REFERENCE, value: c.number },
    { key: CASE_STATUS, value: c.status },
  ];
}
