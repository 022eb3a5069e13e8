// custom search attributes that make cases findable in the Temporal Web UI.
// Registered on the dev server from temporal-dev.yml; a unit test keeps both in step.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CASE_TYPE = defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD);
export const CASE_STATUS = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const COMPANY_ID = defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD);
export const CASE_REFERENCE = defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [CASE_TYPE, CASE_STATUS, COMPANY_ID, CASE_REFERENCE];
