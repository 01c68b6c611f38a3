// Mails the MSP when a workflow run fails: an action group with one e-mail receiver and a metric alert on the
// Logic App's platform metric WorkflowRunsFailureRate ("Workflow Runs Failure Rate. For LogicApps only.",
// dimension workflowName): https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-sites-metrics
param baseName string
param notificationEmail string
param logicAppId string

resource mailMsp 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${baseName}-msp'
  location: 'global'
  properties: {
    groupShortName: take('thread-${baseName}', 12)
    enabled: true
    emailReceivers: [{ name: 'msp', emailAddress: notificationEmail, useCommonAlertSchema: true }]
  }
}

resource failedRuns 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: 'alert-${baseName}-failed-workflow-runs'
  location: 'global'
  properties: {
    description: 'A Thread intent workflow run failed. Open the Logic App, Workflows, the workflow named in this alert, Run history, and look at the failed run\'s red action.'
    severity: 1
    enabled: true
    scopes: [logicAppId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'failedRuns'
          metricNamespace: 'Microsoft.Web/sites'
          metricName: 'WorkflowRunsFailureRate'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
          // One alert per workflow, so the mail names the workflow that failed.
          dimensions: [{ name: 'workflowName', operator: 'Include', values: ['*'] }]
          // Workflow metrics appear only once the workflow runtime has started; a fresh deployment must still
          // be able to create the rule.
          skipMetricValidation: true
        }
      ]
    }
    actions: [{ actionGroupId: mailMsp.id }]
  }
}

output actionGroupId string = mailMsp.id
output alertId string = failedRuns.id
