/** Names of the workflows/user-offboarding actions the summary reads (one place, so a rename is caught by tests). */
export const OFFBOARDING_ACTIONS = {
  plan: 'Plan_user_offboarding',
  collect: 'Collect_offboarding_results',
  respondAccepted: 'Respond_accepted',
  exchangeJob: 'Start_remove_member_job',
  exchangeJobStatus: 'Record_remove_member_job_status',
  exchangeOutput: 'Get_remove_member_output',
} as const;
