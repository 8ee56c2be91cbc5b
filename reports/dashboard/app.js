// jvap dashboard: the browser side of `jvap serve` (its JSON API under /api/v1). No framework,
// no build step, no external resource: this file, index.html and app.css are all there is.
//
// Security, on purpose:
// - XSS: every text that comes from the service, a file or the user reaches the page through
//   textContent, createTextNode or setAttribute on elements made with createElement (el() below).
//   innerHTML, outerHTML, insertAdjacentHTML and document.write are never used, so no data is ever
//   parsed as markup. The service's Content-Security-Policy (script-src 'self', no inline script,
//   style or event handler) is the second fence; this file keeps to it (no style="" either).
// - The access token is kept in sessionStorage (this tab only; gone when it closes or on sign out)
//   and sent only as "Authorization: Bearer TOKEN" on fetch(). The service sets and reads no
//   cookies, so a request forged by another site carries no credentials: there is nothing for CSRF
//   to ride on. The token is never put in a URL.
// - Forms are handled by JavaScript submit handlers that call preventDefault(); the policy's
//   form-action 'none' blocks native submission anyway.
// - Downloads are fetched with the Authorization header and handed to the browser as a blob: URL
//   on a temporary <a download>; reports are never opened inside this page.
'use strict';

(function () {
  // ---------------------------------------------------------------------------------------------
  // Labels, in English and French. {name} is replaced; a key with {one, other} is chosen by {n}.
  const I18N = {
    en: {
      appTitle: 'JVAP monitoring',
      appSub: 'Joint Valletta Action Plan: partner service',
      skip: 'Skip to the main content',
      language: 'Language',
      sections: 'Sections',
      signOut: 'Sign out',
      signInTitle: 'Sign in',
      signInHelp: 'Paste the access token the secretariat gave you. It is kept in this browser tab only and forgotten when you sign out or close the tab.',
      tokenLabel: 'Access token',
      tokenHint: 'It starts with jvap_.',
      signIn: 'Sign in',
      period: 'Reporting period',
      tabUpload: 'Upload',
      tabOwed: 'What you still owe',
      tabSubmissions: 'My submissions',
      tabFindings: 'Findings',
      tabCompleteness: 'Completeness',
      tabCommitments: 'Commitments and work plans',
      tabOwedShort: 'What you still owe',
      tabCommitmentsShort: 'Commitments',
      tabReview: 'Review queue',
      tabReports: 'Reports',
      uploadHelp: 'Send your progress report as a CSV, JSON, XLSX or ODS file. "Check" tries the file without storing anything; "Submit" stores it and sends it to the secretariat for review.',
      fileLabel: 'File',
      fileHint: 'CSV, JSON, XLSX or ODS.',
      chooseFileButton: 'Choose a file',
      noFile: 'No file chosen',
      orgForLabel: 'Organisation the file is for',
      orgForHint: 'Secretariat: the id of the organisation or member state, e.g. IOM.',
      checkDry: 'Check (dry run)',
      submit: 'Submit',
      orgLabel: 'Organisation',
      orgFilterHint: 'Secretariat: leave empty for every organisation (a template needs one).',
      formatLabel: 'Format',
      show: 'Show',
      downloadTemplate: 'Download template',
      submissionsHelp: 'Newest first. A submission the secretariat returned shows its comment: fix the file and resubmit it.',
      refresh: 'Refresh',
      severity: 'Severity',
      all: 'All',
      sev_error: 'Error',
      sev_warning: 'Warning',
      sev_info: 'Info',
      status: 'Status',
      st_open: 'Open',
      st_new: 'New',
      st_carried_over: 'Carried over',
      st_waived: 'Waived',
      st_resolved: 'Resolved',
      fs_new: 'new',
      fs_carried_over: 'carried over',
      fs_waived: 'waived',
      fs_resolved: 'resolved',
      rule: 'Rule',
      domain: 'Domain',
      verifiedOnly: 'From the reports, which count verified data only.',
      commitments: 'Commitments',
      workPlan: 'Work-plan activities',
      process: 'Process',
      proc_rabat: 'Rabat Process',
      proc_khartoum: 'Khartoum Process',
      reviewHelp: 'Submissions awaiting review, oldest first. Verify one to count it in the reports, or return it with a comment that says what to fix.',
      reportsHelp: 'Reports count verified data only. Choose one and download it.',
      reportKind: 'Report',
      kind_joint: 'Joint report',
      kind_process: 'Process report',
      kind_domain: 'Domain report',
      kind_partner: 'Partner report',
      'kind_work-plan': 'Work-plan report',
      partner: 'Partner',
      partnerHint: 'The organisation or member state id, e.g. IOM.',
      download: 'Download',
      footer: 'jvap: monitoring of the Joint Valletta Action Plan (Rabat and Khartoum Processes).',

      'role_viewer': 'viewer',
      'role_contributor': 'contributor',
      'role_focal-point': 'focal point',
      'role_secretariat': 'secretariat',
      whoDetail: 'Token {key}{label}, as of {asOf}{expires}',
      expiresOn: ', expires on {date}',
      period_closed: 'closed',
      period_reporting: 'reports due',
      period_open: 'in progress',
      period_future: 'to come',
      periodOption: '{period} ({status})',
      periodDetail: '{start} to {end}; reports due by {due}.',
      signingIn: 'Signing in…',
      signedIn: 'Signed in as {org} ({role}).',
      signedOut: 'Signed out.',
      signInAgain: 'Sign in again: {message}',
      tokenMissing: 'Enter your access token.',
      loading: 'Loading…',
      networkError: 'The service cannot be reached; try again in a moment.',
      httpError: 'The service answered HTTP {status}.',
      chooseFile: 'Choose a file first.',
      badType: '{name}: choose a CSV, JSON, XLSX or ODS file (by its extension).',
      orgRequired: 'Name the organisation the file is for.',
      checking: 'Checking {name}…',
      sending: 'Sending {name}…',
      dryOk: '{name} is fine: nothing was stored (dry run). Submit it when ready.',
      stored: '{name} was submitted as submission {id}; it awaits review by the secretariat.',
      rejectedTitle: '{name} was not accepted',
      dryTitle: 'Dry run of {name}',
      storedTitle: '{name}: submission {id}',
      rowsAccepted: { one: '{n} row accepted', other: '{n} rows accepted' },
      rowsRejected: { one: '{n} rejected', other: '{n} rejected' },
      rowsBreakdown: '{new} new, {changed} changed, {unchanged} unchanged',
      rowsBlank: { one: '{n} row with a blank value skipped', other: '{n} rows with a blank value skipped' },
      problemsTitle: 'Problems to fix',
      colRow: 'Row',
      colColumn: 'Column',
      colMessage: 'Problem',
      wholeFile: 'whole file',
      notYours: 'not yours',
      sheetRow: '{sheet}, row {line}',
      recordN: 'record {n}',
      feedbackTitle: 'Findings about what you sent',
      feedbackNone: 'No findings about what you sent.',
      feedbackTime: '{n} findings, checked in {ms} ms.',
      colSeverity: 'Severity',
      colRule: 'Rule',
      colSubject: 'Subject',
      colPeriod: 'Period',
      colFinding: 'Finding',
      colFix: 'What to do',
      colStatus: 'Status',
      colWaiver: 'Waiver',
      colOrg: 'Organisation',
      colInitiative: 'Initiative',
      colTitle: 'Title',
      colMeasure: 'Measure',
      colState: 'State',
      colDue: 'Due',
      colOverdue: 'Days overdue',
      owedSummary: { one: '{org}, {period}: {n} report still incomplete', other: '{org}, {period}: {n} reports still incomplete' },
      owedRows: { one: '{n} value owed', other: '{n} values owed' },
      owedNothing: 'Nothing is owed for {period}.',
      owedEveryone: 'every organisation',
      owedTitle: 'Values still owed',
      owed_missing: 'missing',
      owed_partial: 'partial',
      owed_not_yet_due: 'not yet due',
      daysLeft: { one: '{n} day left', other: '{n} days left' },
      templateOrgRequired: 'Secretariat: name the organisation whose template you want.',
      downloading: 'Downloading…',
      downloaded: '{name} downloaded.',
      noSubmissions: 'No submissions yet.',
      submissionTitle: 'Submission {id}',
      submissionOrgTitle: '{org}: submission {id}',
      sub_submitted: 'awaiting review',
      sub_verified: 'verified',
      sub_returned: 'returned',
      sentOn: 'Sent on {created}, last change on {updated}.',
      showDetails: 'Show details',
      hideDetails: 'Hide details',
      downloadFile: 'Download the file',
      history: 'History',
      ev_submitted: 'submitted',
      ev_resubmitted: 'resubmitted',
      ev_verified: 'verified',
      ev_returned: 'returned',
      eventLine: '{on}: {action} by {actor}',
      returnedComment: 'The secretariat returned it:',
      resubmitTitle: 'Resubmit a corrected file',
      resubmit: 'Resubmit',
      uploadLine: '{file}: {rows} rows ({breakdown}; {rejected} rejected)',
      findingsShown: '{shown} of {total} findings',
      noFindings: 'No findings match these filters.',
      pctOf: '{pct} ({n} of {total} expected reports)',
      pctOnTime: '{pct} on time ({n} of {total})',
      pctShort: '{pct} ({n} of {total})',
      compTotal: 'All expected reports',
      compTotalOrg: 'Reports expected from {org}',
      compByProcess: 'By process',
      compByCountry: 'By country',
      compByDomain: 'By domain',
      compByOrg: 'By partner',
      compNote: 'Reports for {period} were due by {due}; counted as of {asOf}.',
      colGroup: 'Group',
      colProcess: 'Process',
      colCountry: 'Country',
      colDomain: 'Domain',
      colPartner: 'Partner',
      colExpected: 'Expected',
      colComplete: 'Complete',
      colOnTime: 'On time',
      colPartial: 'Partial',
      colMissing: 'Missing',
      colNotYetDue: 'Not yet due',
      colGaps: 'Missing or partial initiatives',
      reviewEmpty: 'Nothing awaits review.',
      verify: 'Verify',
      returnBtn: 'Return to the partner',
      commentLabel: 'What must the partner fix? (required to return)',
      commentRequired: 'Say what the partner must fix before you return the submission.',
      verified: 'Submission {id} of {org} verified.',
      returned: 'Submission {id} returned to {org}.',
      reportOwn: 'Your partner report is about {org}.',
      partnerRequired: 'Name the partner.',
      none: '—',
      yes: 'yes',
      no: 'no',
      noRows: 'Nothing to show.',
      tableRegion: '{caption} (scrolls sideways)'
    },
    fr: {
      appTitle: 'Suivi du PACV',
      appSub: 'Plan d’action conjoint de La Valette : service des partenaires',
      skip: 'Aller au contenu principal',
      language: 'Langue',
      sections: 'Rubriques',
      signOut: 'Se déconnecter',
      signInTitle: 'Connexion',
      signInHelp: 'Collez le jeton d’accès que le secrétariat vous a remis. Il n’est conservé que dans cet onglet et oublié à la déconnexion ou à la fermeture de l’onglet.',
      tokenLabel: 'Jeton d’accès',
      tokenHint: 'Il commence par jvap_.',
      signIn: 'Se connecter',
      period: 'Période de rapport',
      tabUpload: 'Envoyer un rapport',
      tabOwed: 'Ce qu’il vous reste à fournir',
      tabSubmissions: 'Mes envois',
      tabFindings: 'Constats',
      tabCompleteness: 'Complétude',
      tabCommitments: 'Engagements et plans de travail',
      tabOwedShort: 'Reste à fournir',
      tabCommitmentsShort: 'Engagements',
      tabReview: 'File de vérification',
      tabReports: 'Rapports',
      uploadHelp: 'Envoyez votre rapport d’avancement en fichier CSV, JSON, XLSX ou ODS. « Vérifier » essaie le fichier sans rien enregistrer ; « Soumettre » l’enregistre et l’envoie au secrétariat pour vérification.',
      fileLabel: 'Fichier',
      fileHint: 'CSV, JSON, XLSX ou ODS.',
      chooseFileButton: 'Choisir un fichier',
      noFile: 'Aucun fichier choisi',
      orgForLabel: 'Organisation concernée par le fichier',
      orgForHint: 'Secrétariat : l’identifiant de l’organisation ou de l’État membre, p. ex. IOM.',
      checkDry: 'Vérifier (essai à blanc)',
      submit: 'Soumettre',
      orgLabel: 'Organisation',
      orgFilterHint: 'Secrétariat : laissez vide pour toutes les organisations (un modèle en demande une).',
      formatLabel: 'Format',
      show: 'Afficher',
      downloadTemplate: 'Télécharger le modèle',
      submissionsHelp: 'Les plus récents d’abord. Un envoi renvoyé par le secrétariat affiche son commentaire : corrigez le fichier et soumettez-le à nouveau.',
      refresh: 'Actualiser',
      severity: 'Gravité',
      all: 'Tous',
      sev_error: 'Erreur',
      sev_warning: 'Avertissement',
      sev_info: 'Information',
      status: 'Statut',
      st_open: 'Ouverts',
      st_new: 'Nouveaux',
      st_carried_over: 'Reportés',
      st_waived: 'Exemptés',
      st_resolved: 'Résolus',
      fs_new: 'nouveau',
      fs_carried_over: 'reporté',
      fs_waived: 'exempté',
      fs_resolved: 'résolu',
      rule: 'Règle',
      domain: 'Domaine',
      verifiedOnly: 'Tiré des rapports, qui ne comptent que les données vérifiées.',
      commitments: 'Engagements',
      workPlan: 'Activités des plans de travail',
      process: 'Processus',
      proc_rabat: 'Processus de Rabat',
      proc_khartoum: 'Processus de Khartoum',
      reviewHelp: 'Envois en attente de vérification, les plus anciens d’abord. Validez-en un pour qu’il compte dans les rapports, ou renvoyez-le avec un commentaire qui dit quoi corriger.',
      reportsHelp: 'Les rapports ne comptent que les données vérifiées. Choisissez-en un et téléchargez-le.',
      reportKind: 'Rapport',
      kind_joint: 'Rapport conjoint',
      kind_process: 'Rapport par processus',
      kind_domain: 'Rapport par domaine',
      kind_partner: 'Rapport de partenaire',
      'kind_work-plan': 'Rapport de plan de travail',
      partner: 'Partenaire',
      partnerHint: 'L’identifiant de l’organisation ou de l’État membre, p. ex. IOM.',
      download: 'Télécharger',
      footer: 'jvap : suivi du Plan d’action conjoint de La Valette (processus de Rabat et de Khartoum).',

      'role_viewer': 'lecteur',
      'role_contributor': 'contributeur',
      'role_focal-point': 'point focal',
      'role_secretariat': 'secrétariat',
      whoDetail: 'Jeton {key}{label}, à la date du {asOf}{expires}',
      expiresOn: ', expire le {date}',
      period_closed: 'close',
      period_reporting: 'rapports attendus',
      period_open: 'en cours',
      period_future: 'à venir',
      periodOption: '{period} ({status})',
      periodDetail: 'Du {start} au {end} ; rapports attendus au plus tard le {due}.',
      signingIn: 'Connexion…',
      signedIn: 'Connecté en tant que {org} ({role}).',
      signedOut: 'Déconnecté.',
      signInAgain: 'Reconnectez-vous : {message}',
      tokenMissing: 'Saisissez votre jeton d’accès.',
      loading: 'Chargement…',
      networkError: 'Le service est injoignable ; réessayez dans un instant.',
      httpError: 'Le service a répondu HTTP {status}.',
      chooseFile: 'Choisissez d’abord un fichier.',
      badType: '{name} : choisissez un fichier CSV, JSON, XLSX ou ODS (selon son extension).',
      orgRequired: 'Indiquez l’organisation concernée par le fichier.',
      checking: 'Vérification de {name}…',
      sending: 'Envoi de {name}…',
      dryOk: '{name} est correct : rien n’a été enregistré (essai à blanc). Soumettez-le quand vous êtes prêt.',
      stored: '{name} a été soumis (envoi {id}) ; il attend la vérification du secrétariat.',
      rejectedTitle: '{name} n’a pas été accepté',
      dryTitle: 'Essai à blanc de {name}',
      storedTitle: '{name} : envoi {id}',
      rowsAccepted: { one: '{n} ligne acceptée', other: '{n} lignes acceptées' },
      rowsRejected: { one: '{n} rejetée', other: '{n} rejetées' },
      rowsBreakdown: '{new} nouvelles, {changed} modifiées, {unchanged} inchangées',
      rowsBlank: { one: '{n} ligne sans valeur ignorée', other: '{n} lignes sans valeur ignorées' },
      problemsTitle: 'Problèmes à corriger',
      colRow: 'Ligne',
      colColumn: 'Colonne',
      colMessage: 'Problème',
      wholeFile: 'tout le fichier',
      notYours: 'pas le vôtre',
      sheetRow: '{sheet}, ligne {line}',
      recordN: 'enregistrement {n}',
      feedbackTitle: 'Constats sur ce que vous avez envoyé',
      feedbackNone: 'Aucun constat sur ce que vous avez envoyé.',
      feedbackTime: '{n} constats, vérifiés en {ms} ms.',
      colSeverity: 'Gravité',
      colRule: 'Règle',
      colSubject: 'Objet',
      colPeriod: 'Période',
      colFinding: 'Constat',
      colFix: 'Que faire',
      colStatus: 'Statut',
      colWaiver: 'Dérogation',
      colOrg: 'Organisation',
      colInitiative: 'Initiative',
      colTitle: 'Titre',
      colMeasure: 'Mesure',
      colState: 'État',
      colDue: 'Échéance',
      colOverdue: 'Jours de retard',
      owedSummary: { one: '{org}, {period} : {n} rapport encore incomplet', other: '{org}, {period} : {n} rapports encore incomplets' },
      owedRows: { one: '{n} valeur due', other: '{n} valeurs dues' },
      owedNothing: 'Rien n’est dû pour {period}.',
      owedEveryone: 'toutes les organisations',
      owedTitle: 'Valeurs encore dues',
      owed_missing: 'manquant',
      owed_partial: 'partiel',
      owed_not_yet_due: 'pas encore dû',
      daysLeft: { one: '{n} jour restant', other: '{n} jours restants' },
      templateOrgRequired: 'Secrétariat : indiquez l’organisation dont vous voulez le modèle.',
      downloading: 'Téléchargement…',
      downloaded: '{name} téléchargé.',
      noSubmissions: 'Aucun envoi pour l’instant.',
      submissionTitle: 'Envoi {id}',
      submissionOrgTitle: '{org} : envoi {id}',
      sub_submitted: 'en attente de vérification',
      sub_verified: 'validé',
      sub_returned: 'renvoyé',
      sentOn: 'Envoyé le {created}, dernière modification le {updated}.',
      showDetails: 'Afficher le détail',
      hideDetails: 'Masquer le détail',
      downloadFile: 'Télécharger le fichier',
      history: 'Historique',
      ev_submitted: 'soumis',
      ev_resubmitted: 'soumis à nouveau',
      ev_verified: 'validé',
      ev_returned: 'renvoyé',
      eventLine: '{on} : {action} par {actor}',
      returnedComment: 'Le secrétariat l’a renvoyé :',
      resubmitTitle: 'Soumettre à nouveau un fichier corrigé',
      resubmit: 'Soumettre à nouveau',
      uploadLine: '{file} : {rows} lignes ({breakdown} ; {rejected} rejetées)',
      findingsShown: '{shown} constats sur {total}',
      noFindings: 'Aucun constat ne correspond à ces filtres.',
      pctOf: '{pct} ({n} sur {total} rapports attendus)',
      pctOnTime: '{pct} à temps ({n} sur {total})',
      pctShort: '{pct} ({n} sur {total})',
      compTotal: 'Tous les rapports attendus',
      compTotalOrg: 'Rapports attendus de {org}',
      compByProcess: 'Par processus',
      compByCountry: 'Par pays',
      compByDomain: 'Par domaine',
      compByOrg: 'Par partenaire',
      compNote: 'Les rapports de {period} étaient attendus au plus tard le {due} ; comptés à la date du {asOf}.',
      colGroup: 'Groupe',
      colProcess: 'Processus',
      colCountry: 'Pays',
      colDomain: 'Domaine',
      colPartner: 'Partenaire',
      colExpected: 'Attendus',
      colComplete: 'Complets',
      colOnTime: 'À temps',
      colPartial: 'Partiels',
      colMissing: 'Manquants',
      colNotYetDue: 'Pas encore dus',
      colGaps: 'Initiatives manquantes ou partielles',
      reviewEmpty: 'Rien n’attend de vérification.',
      verify: 'Valider',
      returnBtn: 'Renvoyer au partenaire',
      commentLabel: 'Que doit corriger le partenaire ? (obligatoire pour renvoyer)',
      commentRequired: 'Dites ce que le partenaire doit corriger avant de renvoyer l’envoi.',
      verified: 'Envoi {id} de {org} validé.',
      returned: 'Envoi {id} renvoyé à {org}.',
      reportOwn: 'Votre rapport de partenaire porte sur {org}.',
      partnerRequired: 'Indiquez le partenaire.',
      none: '—',
      yes: 'oui',
      no: 'non',
      noRows: 'Rien à afficher.',
      tableRegion: '{caption} (défile horizontalement)',
      // Column headers of the report tables shown here (the reports themselves are in English).
      'rc.domain': 'Domaine',
      'rc.title': 'Titre',
      'rc.commitments': 'Engagements',
      'rc.fulfilled': 'Réalisés',
      'rc.in_progress': 'En cours',
      'rc.not_started': 'Pas commencés',
      'rc.dropped': 'Abandonnés',
      'rc.not_reported': 'Non rapportés',
      'rc.overdue': 'En retard',
      'rc.with_initiatives': 'Avec une initiative',
      'rc.commitment': 'Engagement',
      'rc.kind': 'Type',
      'rc.made_by': 'Pris par',
      'rc.domains': 'Domaines',
      'rc.due': 'Échéance',
      'rc.progress': 'Avancement',
      'rc.reported_for': 'Rapporté pour',
      'rc.initiatives': 'Initiatives qui le mettent en œuvre',
      'rc.confirmed': 'Confirmé',
      'rc.narrative': 'Dernier récit',
      'rc.activity': 'Activité',
      'rc.planned': 'Prévue',
      'rc.state': 'État',
      'rc.postponed_to': 'Reportée au',
      'rc.host': 'Hôte',
      'rc.lead': 'Chef de file',
      'rc.held_on': 'Tenue le',
      'rc.participants': 'Participants',
      'rc.outputs': 'Produits',
      'rc.work_plan.by_kind.planned': 'Au plan de travail',
      'rc.held': 'Tenues',
      'rc.postponed': 'Reportées',
      'rc.cancelled': 'Annulées',
      'rc.not_held': 'Non tenues à leur date',
      'rc.to_come': 'À venir',
      'rt.commitments.by_domain': 'Engagements par domaine et avancement',
      'rt.commitments.list': 'Tous les engagements',
      'rt.work_plan.by_kind': 'Activités par type et résultat',
      'rt.work_plan.activities': 'Toutes les activités',
      'rt.work_plan.attention': 'À suivre',
      'hl.activities': 'Activités du plan de travail',
      'hl.held': 'Tenues',
      'hl.not_held': 'Non tenues à leur date',
      'hl.outputs': 'Produits rapportés',
      'hl.states': 'États membres participants'
    }
  };

  const RANK = { viewer: 0, contributor: 1, 'focal-point': 2, secretariat: 3 };
  // The least role that sees each tab (the service refuses the rest anyway).
  const TABS = [
    ['upload', 'contributor'], ['owed', 'contributor'], ['submissions', 'contributor'],
    ['findings', 'focal-point'], ['completeness', 'focal-point'], ['commitments', 'viewer'],
    ['review', 'secretariat'], ['reports', 'viewer']
  ];
  const MEDIA = {
    csv: 'text/csv',
    json: 'application/json',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ods: 'application/vnd.oasis.opendocument.spreadsheet'
  };
  const TOKEN_KEY = 'jvap.token';
  const LANG_KEY = 'jvap.lang';

  // ---------------------------------------------------------------------------------------------
  // State
  const S = {
    token: null, me: null, periods: [], period: '', tab: null,
    stale: new Set(), // tabs to reload when shown
    data: {}, // what each tab last loaded, to re-render on a language switch
    rules: new Set(),
    subOpen: new Set(), subDetail: {},
    reviewDetail: {}
  };

  let lang = pickLang();

  function pickLang() {
    let stored = null;
    try { stored = localStorage.getItem(LANG_KEY); } catch (e) { /* storage off */ }
    if (stored === 'en' || stored === 'fr') return stored;
    const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
    return nav.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  }

  function t(key, vars) {
    let s = I18N[lang][key];
    if (s === undefined) s = I18N.en[key];
    if (s === undefined) return key;
    if (typeof s === 'object') {
      const n = vars && typeof vars.n === 'number' ? vars.n : 0;
      s = s[new Intl.PluralRules(lang).select(n)] || s.other;
    }
    // A variable may be a function, called now (so a message said again follows the language).
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(typeof vars[k] === 'function' ? vars[k]() : vars[k]) : m));
    return s;
  }
  // A label that may be missing: the key's text, else the fallback.
  function tOr(key, fallback) {
    const s = I18N[lang][key] !== undefined ? I18N[lang][key] : I18N.en[key];
    return s === undefined ? fallback : s;
  }

  function fmtPct(pct) {
    if (pct === null || pct === undefined || Number.isNaN(pct)) return t('none');
    return new Intl.NumberFormat(lang, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(pct / 100);
  }
  function fmtInt(n) {
    if (n === null || n === undefined) return t('none');
    return new Intl.NumberFormat(lang).format(n);
  }

  // ---------------------------------------------------------------------------------------------
  // DOM helpers: text only ever goes in as text.
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else if (k.startsWith('on')) { if (typeof v === 'function') e.addEventListener(k.slice(2), v); } // never an inline handler
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function put(node, ...children) { clear(node); for (const c of children.flat()) if (c) node.append(c); return node; }

  // Text whose dates (YYYY-MM-DD) never break at their hyphens.
  function withDates(text) {
    return String(text).split(/(\d{4}-\d{2}-\d{2})/).map((part, i) => (i % 2 ? el('span', { class: 'nowrap', text: part }) : document.createTextNode(part)));
  }

  let idSeq = 0;
  const uid = (p) => p + '-' + (++idSeq);

  // A table in a scroll box: columns are [{label, cell(row) -> text or Node, cls}]. On a phone the
  // stylesheet stacks each row as a card, each cell after its column's label (data-label); the
  // explicit roles keep it a table for screen readers when it is not drawn as one.
  function table(caption, columns, rows, opts) {
    const o = opts || {};
    const capId = uid('cap');
    const tbl = el('table', { class: 'data' + (o.cls ? ' ' + o.cls : ''), role: 'table' },
      el('caption', { id: capId, class: o.hideCaption ? 'visually-hidden' : null, text: caption }),
      el('thead', { role: 'rowgroup' }, el('tr', { role: 'row' }, columns.map((c) => el('th', { scope: 'col', role: 'columnheader', class: c.cls || null, text: c.label })))),
      el('tbody', { role: 'rowgroup' }, rows.map((r) => el('tr', { role: 'row', class: o.rowClass ? o.rowClass(r) : null },
        columns.map((c, i) => {
          const v = c.cell(r);
          const head = i === 0 && o.rowHeader;
          const shown = v === null || v === undefined || v === '' ? t('none') : (typeof v === 'string' ? withDates(v) : v);
          return el(head ? 'th' : 'td', { scope: head ? 'row' : null, role: head ? 'rowheader' : 'cell', class: c.cls || null, 'data-label': c.label },
            el('span', { class: 'cell' }, shown));
        })))));
    return el('div', { class: 'table-wrap', role: 'region', 'aria-labelledby': capId, tabindex: '0' }, tbl);
  }

  function badge(text, cls) { return el('span', { class: 'badge ' + (cls || ''), text }); }
  function sevBadge(sev) { return badge(tOr('sev_' + sev, sev), 'sev-' + sev); }

  // ---------------------------------------------------------------------------------------------
  // Messages (two live regions: polite status, assertive errors)
  // A message is a string (the service's own words) or tr(key, vars), which a language switch
  // says again in the new language.
  const tr = (key, vars) => ({ key, vars });
  const msgText = (m) => (typeof m === 'string' ? m : t(m.key, m.vars));
  let lastMsg = null;
  // quiet: for screen readers only, when the page shows the same thing where it happened.
  function say(m, quiet) {
    lastMsg = { m, error: false };
    $('#error').textContent = '';
    $('#status').classList.toggle('quiet', !!quiet);
    $('#status').textContent = msgText(m);
  }
  function showError(m, quiet) {
    lastMsg = { m, error: true };
    $('#status').textContent = '';
    $('#error').classList.toggle('quiet', !!quiet);
    $('#error').textContent = msgText(m);
  }
  function clearMessages() { lastMsg = null; $('#status').textContent = ''; $('#error').textContent = ''; }
  function sayAgain() {
    if (lastMsg && typeof lastMsg.m !== 'string') $(lastMsg.error ? '#error' : '#status').textContent = msgText(lastMsg.m);
  }

  // ---------------------------------------------------------------------------------------------
  // The API
  class ApiError extends Error {
    constructor(status, code, message, details) {
      super(message);
      this.status = status; this.code = code; this.details = details;
    }
  }

  async function api(path, opts) {
    const o = opts || {};
    const headers = Object.assign({ Authorization: 'Bearer ' + S.token }, o.headers || {});
    let res;
    try {
      res = await fetch('/api/v1' + path, { method: o.method || 'GET', headers, body: o.body, cache: 'no-store', credentials: 'omit', redirect: 'error' });
    } catch (e) {
      throw new ApiError(0, 'network', t('networkError'));
    }
    if (res.ok) return o.raw ? res : res.json();
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    const err = body && body.error ? body.error : { code: 'http', message: t('httpError', { status: res.status }) };
    const e = new ApiError(res.status, err.code, err.message || t('httpError', { status: res.status }), err.details);
    if (res.status === 401 && !o.signingIn) {
      signOut(tr('signInAgain', { message: e.message }));
      e.handled = true;
    }
    throw e;
  }

  // Shows what went wrong (a 401 was already handled by signing out).
  function report(err) {
    if (err && err.handled) return;
    showError(err && err.message ? err.message : String(err));
  }

  function filenameOf(res, fallback) {
    const cd = res.headers.get('Content-Disposition') || '';
    const m = /filename="([^"]+)"/.exec(cd);
    return m ? m[1] : fallback;
  }

  async function download(path, fallback, button) {
    if (button) button.disabled = true;
    say(tr('downloading'));
    try {
      const res = await api(path, { raw: true });
      const blob = await res.blob();
      const name = filenameOf(res, fallback);
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: name, class: 'visually-hidden' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      say(tr('downloaded', { name }));
    } catch (err) {
      report(err);
    } finally {
      if (button) button.disabled = false;
    }
  }

  function q(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
    const s = u.toString();
    return s ? '?' + s : '';
  }

  const isSecretariat = () => S.me && S.me.role === 'secretariat';
  const may = (least) => S.me && RANK[S.me.role] >= RANK[least];

  // ---------------------------------------------------------------------------------------------
  // Static labels and the language switch
  function applyStatic() {
    document.documentElement.lang = lang;
    document.title = t('appTitle');
    for (const e of $$('[data-i18n]')) e.textContent = t(e.dataset.i18n);
    for (const e of $$('[data-i18n-aria]')) e.setAttribute('aria-label', t(e.dataset.i18nAria));
    for (const b of $$('.lang-button')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  }

  function setLang(l) {
    lang = l;
    try { localStorage.setItem(LANG_KEY, l); } catch (e) { /* storage off */ }
    applyStatic();
    sayAgain();
    for (const i of $$('.file-input')) showFileName(i);
    if (S.me) {
      renderWho();
      renderPeriods();
      renderReportForm();
      for (const [tab] of TABS) if (S.data[tab] !== undefined) RENDER[tab]();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sign in and out
  async function signIn(token, quiet) {
    S.token = token;
    if (!quiet) say(tr('signingIn'));
    const button = $('#signin-button');
    button.disabled = true;
    try {
      const me = await api('/me', { signingIn: true });
      const periods = await api('/periods');
      try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* storage off */ }
      S.me = me;
      S.periods = periods.periods.slice().reverse(); // newest first
      S.period = defaultPeriod(periods);
      if (me.role === 'secretariat') fillOrganisations(await api('/organisations'));
      $('#token-input').value = '';
      enterApp();
      say(tr('signedIn', { org: me.org, role: () => tOr('role_' + me.role, me.role) }));
    } catch (err) {
      S.token = null;
      try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* storage off */ }
      if (!quiet) report(err); else clearMessages();
    } finally {
      button.disabled = false;
    }
  }

  // The plan's organisations and member states as suggestions for the secretariat's org fields.
  function fillOrganisations(list) {
    const dl = $('#orgs');
    while (dl.firstChild) dl.removeChild(dl.firstChild);
    for (const o of list.organisations) {
      const opt = document.createElement('option');
      opt.value = o.id;
      opt.textContent = o.name;
      dl.appendChild(opt);
    }
    for (const code of list.states) {
      const opt = document.createElement('option');
      opt.value = code;
      dl.appendChild(opt);
    }
  }

  function defaultPeriod(p) {
    const started = p.periods.filter((x) => x.start <= p.as_of);
    const pick = started.length ? started[started.length - 1] : p.periods[0];
    return pick ? pick.period : '';
  }

  function signOut(message) {
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* storage off */ }
    S.token = null; S.me = null; S.periods = []; S.period = ''; S.tab = null;
    S.data = {}; S.stale = new Set(); S.rules = new Set(); S.subOpen = new Set(); S.subDetail = {}; S.reviewDetail = {};
    for (const k of Object.keys(latest)) latest[k]++; // what is still loading renders nowhere
    for (const r of $$('.result')) clear(r);
    for (const f of $$('#app form')) f.reset();
    resetRuleOptions();
    $('#app').hidden = true;
    $('#whoami').hidden = true;
    $('#signin').hidden = false;
    if (message) showError(message); else say(tr('signedOut'));
    $('#token-input').focus();
  }

  function enterApp() {
    $('#signin').hidden = true;
    $('#app').hidden = false;
    $('#whoami').hidden = false;
    renderWho();
    renderPeriods();
    for (const e of $$('.secretariat-only')) e.hidden = !isSecretariat();
    let first = null;
    for (const [tab, least] of TABS) {
      const ok = may(least);
      $('li[data-tab="' + tab + '"]').hidden = !ok;
      if (ok && !first) first = tab;
    }
    renderReportForm();
    for (const [tab] of TABS) S.stale.add(tab);
    showTab(isSecretariat() ? 'review' : first, false);
    $('#h-' + S.tab).focus();
  }

  function renderWho() {
    const me = S.me;
    $('#whoami-org').textContent = me.org;
    $('#whoami-role').textContent = tOr('role_' + me.role, me.role);
    put($('#whoami-detail'), withDates(t('whoDetail', {
      key: me.key, label: me.label ? ' (' + me.label + ')' : '', asOf: me.as_of,
      expires: me.expires_on ? t('expiresOn', { date: me.expires_on }) : ''
    })));
  }

  function renderPeriods() {
    const sel = $('#period');
    put(sel, S.periods.map((p) => el('option', { value: p.period, selected: p.period === S.period },
      t('periodOption', { period: p.period, status: tOr('period_' + p.status, p.status) }))));
    sel.value = S.period;
    const p = S.periods.find((x) => x.period === S.period);
    put($('#period-detail'), p ? withDates(t('periodDetail', { start: p.start, end: p.end, due: p.due })) : null);
  }

  // ---------------------------------------------------------------------------------------------
  // Tabs
  function showTab(tab, focus) {
    S.tab = tab;
    for (const b of $$('button.tab')) {
      if (b.dataset.tab === tab) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    }
    for (const p of $$('.panel')) p.hidden = p.dataset.panel !== tab;
    if (focus) $('#h-' + tab).focus();
    if (S.stale.has(tab)) {
      S.stale.delete(tab);
      if (LOAD[tab]) LOAD[tab]().catch(report);
    }
  }

  // After something changed the data: reload the tab shown, the others when next shown.
  function dataChanged(except) {
    for (const [tab] of TABS) if (tab !== except && tab !== 'upload' && tab !== 'reports') S.stale.add(tab);
  }

  // Loads may overlap (a period changed while a tab loads): only the latest of each kind renders.
  const latest = {};
  function begin(kind) {
    const n = (latest[kind] || 0) + 1;
    latest[kind] = n;
    return () => latest[kind] === n;
  }

  function loadingInto(node) {
    node.setAttribute('aria-busy', 'true');
    put(node, el('p', { class: 'hint', text: t('loading') }));
  }
  function done(node) { node.removeAttribute('aria-busy'); }

  // ---------------------------------------------------------------------------------------------
  // File pickers: the native input, visually hidden but focusable, under a label styled as a
  // button (so its text follows the page's language), and the chosen file's name beside it.
  function showFileName(input) {
    const name = input.parentNode.querySelector('.file-name');
    if (name) name.textContent = input.files && input.files[0] ? input.files[0].name : t('noFile');
  }
  function filePicker(id, accept) {
    const input = el('input', { type: 'file', id, class: 'file-input', accept, 'aria-describedby': id + '-name' });
    const box = el('div', { class: 'file-picker' }, input,
      el('label', { for: id, class: 'button button-secondary file-button', text: t('chooseFileButton') }),
      el('span', { id: id + '-name', class: 'file-name', text: t('noFile') }));
    input.addEventListener('change', () => showFileName(input));
    return { box, input };
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Upload (and resubmission)
  function mediaOf(file) {
    const dot = file.name.lastIndexOf('.');
    return dot < 0 ? null : MEDIA[file.name.slice(dot + 1).toLowerCase()] || null;
  }

  // Sends `file` to `path`; returns what to render: {ok, dry, body} or {ok:false, err}.
  async function sendFile(path, file, dry) {
    try {
      const body = await api(path, { method: 'POST', headers: { 'Content-Type': mediaOf(file) }, body: file });
      return { ok: true, dry, body, name: file.name };
    } catch (err) {
      if (err.handled) return null;
      return { ok: false, dry, err, name: file.name };
    }
  }

  function checkFile(file) {
    if (!file) return tr('chooseFile');
    if (!mediaOf(file)) return tr('badType', { name: file.name });
    return null;
  }

  async function onUpload(e) {
    e.preventDefault();
    const form = e.currentTarget;
    const dry = !(e.submitter && e.submitter.value === 'submit');
    const file = $('#upload-file').files[0];
    const problem = checkFile(file);
    if (problem) { showError(problem); $('#upload-file').focus(); return; }
    const org = $('#upload-org').value.trim();
    if (isSecretariat() && !org) { showError(tr('orgRequired')); $('#upload-org').focus(); return; }
    const buttons = $$('button', form);
    buttons.forEach((b) => { b.disabled = true; });
    const target = $('#upload-result');
    loadingInto(target);
    say(tr(dry ? 'checking' : 'sending', { name: file.name }));
    const path = '/uploads' + q({ dry_run: dry ? '1' : '', name: file.name, org: isSecretariat() ? org : '' });
    const r = await sendFile(path, file, dry);
    buttons.forEach((b) => { b.disabled = false; });
    done(target);
    if (!r) return;
    S.data.upload = r;
    RENDER.upload();
    announceUpload(r, true);
    if (r.ok && !r.dry) dataChanged('upload');
  }

  function announceUpload(r, quietUpload) {
    const shown = !!quietUpload; // the result panel shows the same
    if (r.ok) say(r.dry ? tr('dryOk', { name: r.body.file }) : tr('stored', { name: r.body.file, id: r.body.submission.id }), shown);
    else showError(r.err.message + (uploadDetails(r) ? ' — ' + countsText(uploadDetails(r).upload) : ''), shown);
  }

  function uploadDetails(r) {
    if (r.ok) return r.body;
    const d = r.err.details;
    return d && d.upload && Array.isArray(d.problems) ? d : null;
  }

  function countsText(u) {
    const rejected = u.rows_rejected || 0;
    return t('rowsAccepted', { n: Math.max(0, (u.rows || 0) - rejected) }) + ', ' + t('rowsRejected', { n: rejected });
  }

  function problemRow(p) {
    if (p.whole_file) return t('wholeFile');
    if (p.sheet) return t('sheetRow', { sheet: p.sheet, line: p.line || p.record });
    if (p.line) return String(p.line);
    if (p.record) return t('recordN', { n: p.record });
    return '';
  }

  function renderUploadInto(node, r) {
    const d = uploadDetails(r);
    const parts = [];
    const title = r.ok ? (r.dry ? t('dryTitle', { name: r.body.file }) : t('storedTitle', { name: r.body.file, id: r.body.submission.id }))
      : t('rejectedTitle', { name: d ? d.file : r.name });
    parts.push(el('h2', { class: 'result-title', text: title }));
    if (!r.ok) parts.push(el('p', { class: 'callout callout-error', text: r.err.message }));
    else parts.push(el('p', { class: 'callout callout-ok', text: r.dry ? t('dryOk', { name: r.body.file }) : t('stored', { name: r.body.file, id: r.body.submission.id }) }));
    if (d) {
      const u = d.upload;
      const counts = el('p', { class: 'counts' }, el('strong', { class: 'count-line', text: countsText(u) }));
      if (r.ok) counts.append(' (' + t('rowsBreakdown', { new: u.rows_new, changed: u.rows_changed, unchanged: u.rows_unchanged }) + ')');
      if (d.rows_not_reported) counts.append('; ' + t('rowsBlank', { n: d.rows_not_reported }));
      parts.push(counts);
      if (d.problems.length) {
        parts.push(table(t('problemsTitle'), [
          { label: t('colRow'), cell: problemRow, cls: 'nowrap' },
          { label: t('colColumn'), cell: (p) => p.column, cls: 'nowrap' },
          { label: t('colMessage'), cell: (p) => el('span', null, p.message, p.not_yours ? [' ', badge(t('notYours'), 'sev-error')] : null) }
        ], d.problems, { cls: 'problems' }));
      }
      if (r.ok && !r.dry && Array.isArray(d.findings)) {
        parts.push(el('h3', { text: t('feedbackTitle') }));
        if (!d.findings.length) parts.push(el('p', { text: t('feedbackNone') }));
        else {
          parts.push(el('p', { class: 'hint', text: t('feedbackTime', { n: d.findings.length, ms: d.feedback_ms }) }));
          parts.push(findingsTable(t('feedbackTitle'), d.findings, false, 'feedback'));
        }
      }
    }
    put(node, parts);
  }

  function findingsTable(caption, list, withStatus, cls) {
    const waivers = withStatus && list.some((f) => f.waiver);
    const cols = [
      { label: t('colSeverity'), cell: (f) => sevBadge(f.severity), cls: 'nowrap' },
      withStatus ? { label: t('colStatus'), cell: (f) => tOr('fs_' + f.status, f.status), cls: 'nowrap' } : null,
      { label: t('colRule'), cell: (f) => el('code', { text: f.rule }), cls: 'nowrap' },
      { label: t('colSubject'), cell: (f) => el('code', { text: f.subject }), cls: 'nowrap' },
      { label: t('colPeriod'), cell: (f) => f.period, cls: 'nowrap' },
      { label: t('colFinding'), cell: (f) => f.message, cls: 'message' },
      waivers ? { label: t('colWaiver'), cell: (f) => (f.waiver ? (typeof f.waiver === 'string' ? f.waiver : f.waiver.reason || JSON.stringify(f.waiver)) : ''), cls: 'text' } : null,
      withStatus ? null : { label: t('colFix'), cell: (f) => f.fix, cls: 'text' }
    ].filter(Boolean);
    return table(caption, cols, list, { cls: 'findings ' + (cls || ''), hideCaption: true, rowClass: (f) => 'finding sev-row-' + f.severity });
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Owed and the template
  async function loadOwed() {
    const node = $('#owed-result');
    const current = begin('owed');
    loadingInto(node);
    try {
      const org = isSecretariat() ? $('#owed-org').value.trim() : '';
      const d = await api('/owed' + q({ period: S.period, org }));
      if (!current()) return;
      S.data.owed = d;
      RENDER.owed();
    } finally { if (current()) done(node); }
  }

  function renderOwed() {
    const d = S.data.owed;
    const node = $('#owed-result');
    if (!d) return clear(node);
    const org = d.org || t('owedEveryone');
    if (!d.owed.length) return put(node, el('p', { class: 'callout callout-ok', text: t('owedNothing', { period: d.period }) }));
    put(node,
      el('p', { class: 'counts' }, el('strong', { text: t('owedSummary', { n: d.reports, org, period: d.period }) }), ' (' + t('owedRows', { n: d.owed.length }) + ')'),
      table(t('owedTitle'), [
        isSecretariat() && !d.org ? { label: t('colOrg'), cell: (o) => o.org, cls: 'nowrap' } : null,
        { label: t('colInitiative'), cell: (o) => el('code', { text: o.initiative }), cls: 'nowrap' },
        { label: t('colTitle'), cell: (o) => o.title },
        { label: t('colMeasure'), cell: (o) => el('code', { text: o.measure }), cls: 'nowrap' },
        { label: t('colState'), cell: (o) => badge(tOr('owed_' + o.state, o.state), 'state-' + o.state), cls: 'nowrap' },
        { label: t('colDue'), cell: (o) => o.due, cls: 'nowrap' },
        { label: t('colOverdue'), cell: (o) => (o.days_overdue < 0 ? t('daysLeft', { n: -o.days_overdue }) : fmtInt(o.days_overdue)), cls: 'num' }
      ].filter(Boolean), d.owed, { hideCaption: true }));
  }

  async function onTemplate(e) {
    e.preventDefault();
    const format = $('#template-format').value;
    const org = isSecretariat() ? $('#owed-org').value.trim() : '';
    if (isSecretariat() && !org) { showError(tr('templateOrgRequired')); $('#owed-org').focus(); return; }
    await download('/template' + q({ period: S.period, format, org }), 'template-' + S.period + '.' + format, e.submitter);
  }

  // ---------------------------------------------------------------------------------------------
  // 5. My submissions
  async function loadSubmissions() {
    const node = $('#submissions-result');
    const current = begin('submissions');
    loadingInto(node);
    try {
      const d = await api('/submissions');
      const detail = {};
      // A returned submission shows its comment without a click.
      await Promise.all(d.submissions.filter((s) => s.state === 'returned' || S.subOpen.has(s.id))
        .map(async (s) => { detail[s.id] = (await api('/submissions/' + s.id)).submission; }));
      if (!current()) return;
      S.subDetail = detail;
      S.data.submissions = d.submissions;
      RENDER.submissions();
    } finally { if (current()) done(node); }
  }

  function uploadLine(u) {
    if (!u) return null;
    return el('p', { class: 'upload-line', text: t('uploadLine', {
      file: u.file_name, rows: u.rows, rejected: u.rows_rejected,
      breakdown: t('rowsBreakdown', { new: u.rows_new, changed: u.rows_changed, unchanged: u.rows_unchanged })
    }) });
  }

  function eventsList(events) {
    return el('ol', { class: 'events' }, events.map((ev) => el('li', null,
      t('eventLine', { on: ev.on, action: tOr('ev_' + ev.action, ev.action), actor: ev.actor }),
      ev.comment ? el('q', { class: 'event-comment', text: ev.comment }) : null)));
  }

  function lastReturnComment(sub) {
    const ev = (sub.events || []).filter((e) => e.action === 'returned');
    return ev.length ? ev[ev.length - 1].comment : '';
  }

  function stateBadge(state) { return badge(tOr('sub_' + state, state), 'sub-' + state); }

  function renderSubmissions() {
    const list = S.data.submissions;
    const node = $('#submissions-result');
    if (!list) return clear(node);
    if (!list.length) return put(node, el('p', { text: t('noSubmissions') }));
    put(node, el('ul', { class: 'cards' }, list.map((s) => {
      const detail = S.subDetail[s.id];
      const open = S.subOpen.has(s.id);
      const detailId = 'sub-detail-' + s.id;
      const card = el('li', { class: 'card submission', 'data-submission': s.id, 'data-state': s.state });
      const toggle = el('button', { type: 'button', class: 'button button-quiet', 'aria-expanded': String(open), 'aria-controls': detailId, text: t(open ? 'hideDetails' : 'showDetails') });
      toggle.addEventListener('click', async () => {
        if (S.subOpen.has(s.id)) S.subOpen.delete(s.id); else S.subOpen.add(s.id);
        if (S.subOpen.has(s.id) && !S.subDetail[s.id]) {
          try { S.subDetail[s.id] = (await api('/submissions/' + s.id)).submission; } catch (err) { report(err); S.subOpen.delete(s.id); }
        }
        RENDER.submissions();
        const again = $('[data-submission="' + s.id + '"] button[aria-controls]');
        if (again) again.focus();
      });
      const fileButton = el('button', { type: 'button', class: 'button button-quiet', text: t('downloadFile') });
      fileButton.addEventListener('click', () => download('/submissions/' + s.id + '/file', 'submission-' + s.id, fileButton));
      card.append(
        el('h2', { class: 'card-title' }, t('submissionTitle', { id: s.id }), ' ', stateBadge(s.state)),
        el('p', { class: 'hint', text: t('sentOn', { created: s.created_on, updated: s.updated_on }) }));
      if (detail && s.state === 'returned' && lastReturnComment(detail)) {
        card.append(el('div', { class: 'callout callout-warn' }, el('strong', { text: t('returnedComment') }), ' ', el('span', { class: 'return-comment', text: lastReturnComment(detail) })));
      }
      card.append(el('div', { class: 'button-row' }, toggle, fileButton));
      const body = el('div', { id: detailId, class: 'card-detail', hidden: !open });
      if (detail) body.append(uploadLine(detail.upload), el('h3', { text: t('history') }), eventsList(detail.events));
      card.append(body);
      if (s.state === 'returned') card.append(resubmitForm(s));
      return card;
    })));
  }

  function resubmitForm(s) {
    const fileId = uid('resubmit-file');
    const result = el('div', { class: 'result', 'aria-live': 'polite' });
    const picker = filePicker(fileId, '.csv,.json,.xlsx,.ods');
    const input = picker.input;
    const button = el('button', { type: 'submit', class: 'button', text: t('resubmit') });
    const form = el('form', { class: 'form resubmit', novalidate: true },
      el('h3', { text: t('resubmitTitle') }),
      el('div', { class: 'field' }, el('label', { for: fileId, text: t('fileLabel') }), picker.box),
      el('div', { class: 'button-row' }, button), result);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const file = input.files[0];
      const problem = checkFile(file);
      if (problem) { showError(problem); input.focus(); return; }
      button.disabled = true;
      say(tr('sending', { name: file.name }));
      const r = await sendFile('/submissions/' + s.id + '/resubmit' + q({ name: file.name }), file, false);
      button.disabled = false;
      if (!r) return;
      announceUpload(r);
      if (r.ok) {
        dataChanged();
        S.data.upload = r; // the upload tab shows its feedback too
        await loadSubmissions().catch(report);
      } else {
        renderUploadInto(result, r);
      }
    });
    return form;
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Findings
  function resetRuleOptions() {
    const sel = $('#f-rule');
    while (sel.options.length > 1) sel.remove(1);
  }

  async function loadFindings() {
    const node = $('#findings-result');
    const current = begin('findings');
    loadingInto(node);
    try {
      const params = { period: S.period, severity: $('#f-severity').value, rule: $('#f-rule').value, domain: $('#f-domain').value, status: $('#f-status').value };
      const d = await api('/findings' + q(params));
      if (!current()) return;
      for (const f of d.findings) S.rules.add(f.rule);
      S.data.findings = d;
      RENDER.findings();
      say(tr('findingsShown', { shown: fmtInt(d.shown), total: fmtInt(d.total) }), true);
    } finally { if (current()) done(node); }
  }

  function renderFindings() {
    const d = S.data.findings;
    const node = $('#findings-result');
    if (!d) return clear(node);
    const sel = $('#f-rule');
    const chosen = sel.value;
    resetRuleOptions();
    for (const r of Array.from(S.rules).sort()) sel.append(el('option', { value: r, text: r }));
    sel.value = chosen;
    put(node,
      el('p', { class: 'counts' }, el('strong', { class: 'findings-count', text: t('findingsShown', { shown: fmtInt(d.shown), total: fmtInt(d.total) }) })),
      d.findings.length ? findingsTable(t('tabFindings'), d.findings, true, 'findings-list') : el('p', { text: t('noFindings') }));
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Completeness
  async function loadCompleteness() {
    const node = $('#completeness-result');
    const current = begin('completeness');
    loadingInto(node);
    try {
      const d = await api('/completeness' + q({ period: S.period }));
      if (!current()) return;
      S.data.completeness = d;
      RENDER.completeness();
    } finally { if (current()) done(node); }
  }

  function pctCell(g) { return t('pctOf', { pct: fmtPct(g.complete_pct), n: fmtInt(g.complete), total: fmtInt(g.expected) }); }
  function onTimeCell(g) { return t('pctOnTime', { pct: fmtPct(g.on_time_pct), n: fmtInt(g.on_time), total: fmtInt(g.expected) }); }

  function meter(pct) {
    const m = el('meter', { min: '0', max: '100', value: String(pct || 0), low: '75', high: '90', optimum: '100', class: 'meter' });
    m.setAttribute('aria-hidden', 'true');
    return m;
  }

  // The missing and partial initiatives of a group, each id kept on one line.
  function gapsCell(g) {
    const ids = [].concat((g.missing_initiatives || []).map((i) => [i, '']),
      (g.partial_initiatives || []).map((i) => [i, ' (' + tOr('owed_partial', 'partial') + ')']));
    if (!ids.length) return '';
    return el('span', { class: 'id-list' }, ids.map(([id, note], k) => [k ? ', ' : '', el('span', { class: 'nowrap', text: id + note })]));
  }

  function compTable(caption, keyLabel, groups, keyText) {
    return table(caption, [
      { label: keyLabel, cell: (g) => (keyText ? keyText(g.key) : g.key), cls: 'nowrap' },
      { label: t('colExpected'), cell: (g) => fmtInt(g.expected), cls: 'num' },
      { label: t('colComplete'), cell: (g) => el('span', { class: 'pct' }, meter(g.complete_pct), ' ', pctCell(g)) },
      { label: t('colOnTime'), cell: (g) => t('pctShort', { pct: fmtPct(g.on_time_pct), n: fmtInt(g.on_time), total: fmtInt(g.expected) }), cls: 'nowrap' },
      { label: t('colPartial'), cell: (g) => fmtInt(g.partial), cls: 'num' },
      { label: t('colMissing'), cell: (g) => fmtInt(g.missing), cls: 'num' },
      { label: t('colNotYetDue'), cell: (g) => fmtInt(g.not_yet_due), cls: 'num' },
      { label: t('colGaps'), cell: gapsCell }
    ], groups, { rowHeader: true, cls: 'completeness', hideCaption: true });
  }

  function renderCompleteness() {
    const d = S.data.completeness;
    const node = $('#completeness-result');
    if (!d) return clear(node);
    const tot = d.total;
    const procName = (k) => tOr('proc_' + k, k);
    put(node,
      el('p', { class: 'hint', text: t('compNote', { period: d.period, due: d.due, asOf: d.as_of }) }),
      el('div', { class: 'stat-cards' },
        el('div', { class: 'stat' },
          el('p', { class: 'stat-label', text: d.org ? t('compTotalOrg', { org: d.org }) : t('compTotal') }),
          el('p', { class: 'stat-value', text: fmtPct(tot.complete_pct) }),
          el('p', { class: 'stat-detail', text: pctCell(tot) }),
          meter(tot.complete_pct)),
        el('div', { class: 'stat' },
          el('p', { class: 'stat-label', text: t('colOnTime') }),
          el('p', { class: 'stat-value', text: fmtPct(tot.on_time_pct) }),
          el('p', { class: 'stat-detail', text: onTimeCell(tot) }),
          meter(tot.on_time_pct))),
      el('h2', { text: t('compByProcess') }), compTable(t('compByProcess'), t('colProcess'), d.by_process, procName),
      el('h2', { text: t('compByOrg') }), compTable(t('compByOrg'), t('colPartner'), d.by_org),
      el('h2', { text: t('compByCountry') }), compTable(t('compByCountry'), t('colCountry'), d.by_country),
      el('h2', { text: t('compByDomain') }), compTable(t('compByDomain'), t('colDomain'), d.by_domain));
  }

  // ---------------------------------------------------------------------------------------------
  // 8. Commitments (the joint report's section) and work-plan activities (the work-plan report)
  function reportValue(col, v) {
    if (v === null || v === undefined || v === '') return '';
    if (col.type === 'percent') return fmtPct(v);
    if (col.type === 'integer' || col.type === 'number') return typeof v === 'number' ? fmtInt(v) : String(v);
    if (col.type === 'code') return el('code', { text: String(v) });
    return String(v);
  }
  function reportTable(tbl) {
    if (!tbl) return null;
    const title = lang === 'en' ? tbl.title : tOr('rt.' + tbl.id, tbl.title);
    const parts = [el('h3', { text: title })];
    if (!tbl.rows.length) parts.push(el('p', { class: 'hint', text: t('noRows') }));
    else {
      parts.push(table(title, tbl.columns.map((c) => ({
        label: lang === 'en' ? c.label : tOr('rc.' + tbl.id + '.' + c.key, tOr('rc.' + c.key, c.label)),
        cell: (r) => reportValue(c, r[c.key]),
        cls: c.type === 'integer' || c.type === 'percent' ? 'num'
          : c.type === 'code' || c.type === 'date' ? 'nowrap'
            : ['title', 'narrative', 'initiatives', 'message', 'fix'].includes(c.key) ? 'text wide' : 'text'
      })), tbl.rows, { hideCaption: true, cls: 'report-table' }));
    }
    if (tbl.note) parts.push(el('p', { class: 'hint', text: tbl.note }));
    return el('div', { class: 'report-block', 'data-table': tbl.id }, parts);
  }

  async function loadCommitments() {
    const node = $('#commitments-result');
    const current = begin('commitments');
    loadingInto(node);
    try {
      const joint = await api('/reports/joint' + q({ period: S.period, format: 'json' }));
      if (!current()) return;
      const sec = (joint.sections || []).find((s) => s.id === 'commitments');
      S.data.commitments = sec ? sec.tables : [];
      RENDER.commitments();
    } finally { if (current()) done(node); }
    if (current()) await loadWorkPlan();
  }

  async function loadWorkPlan() {
    const node = $('#workplan-result');
    const current = begin('workplan');
    loadingInto(node);
    try {
      const d = await api('/reports/work-plan' + q({ period: S.period, process: $('#wp-process').value, format: 'json' }));
      if (!current()) return;
      S.data.workplan = d;
      renderWorkPlan();
    } finally { if (current()) done(node); }
  }

  function renderCommitments() {
    const node = $('#commitments-result');
    const tables = S.data.commitments;
    if (!tables) return clear(node);
    const pick = (id) => tables.find((x) => x.id === id);
    put(node, reportTable(pick('commitments.by_domain')), reportTable(pick('commitments.list')));
    renderWorkPlan();
  }

  function renderWorkPlan() {
    const node = $('#workplan-result');
    const wp = S.data.workplan;
    if (!wp) return clear(node);
    const cards = el('div', { class: 'stat-cards' }, (wp.highlights || []).map((h) => el('div', { class: 'stat' },
      el('p', { class: 'stat-label', text: lang === 'en' ? h.label : tOr('hl.' + h.key, h.label) }),
      el('p', { class: 'stat-value', text: h.type === 'percent' ? fmtPct(h.value) : fmtInt(h.value) }),
      h.detail ? el('p', { class: 'stat-detail', text: h.detail }) : null)));
    const blocks = [];
    for (const s of wp.sections || []) {
      if (!s.id.startsWith('work_plan')) continue;
      blocks.push(el('h3', { class: 'subsection', text: s.title }));
      for (const id of ['work_plan.by_kind', 'work_plan.activities', 'work_plan.attention']) blocks.push(reportTable(s.tables.find((x) => x.id === id)));
    }
    put(node, el('p', { class: 'hint', text: wp.cover ? wp.cover.title : '' }), cards, blocks);
  }

  // ---------------------------------------------------------------------------------------------
  // 9. Review queue (secretariat)
  async function loadReview() {
    const node = $('#review-result');
    const current = begin('review');
    loadingInto(node);
    try {
      const d = await api('/submissions' + q({ state: 'submitted' }));
      const list = d.submissions.slice().sort((a, b) => a.id - b.id); // oldest first
      const detail = {};
      await Promise.all(list.map(async (s) => { detail[s.id] = (await api('/submissions/' + s.id)).submission; }));
      if (!current()) return;
      S.reviewDetail = detail;
      S.data.review = list;
      RENDER.review();
    } finally { if (current()) done(node); }
  }

  function renderReview() {
    const list = S.data.review;
    const node = $('#review-result');
    if (!list) return clear(node);
    if (!list.length) return put(node, el('p', { class: 'callout callout-ok', text: t('reviewEmpty') }));
    put(node, el('ul', { class: 'cards' }, list.map((s) => {
      const detail = S.reviewDetail[s.id];
      const commentId = uid('comment');
      const comment = el('textarea', { id: commentId, rows: '3', maxlength: '4000' });
      const fileButton = el('button', { type: 'button', class: 'button button-quiet', text: t('downloadFile') });
      fileButton.addEventListener('click', () => download('/submissions/' + s.id + '/file', 'submission-' + s.id, fileButton));
      const verifyButton = el('button', { type: 'button', class: 'button', 'data-action': 'verify', text: t('verify') });
      verifyButton.addEventListener('click', () => reviewAction(s, 'verify', {}, verifyButton));
      const returnButton = el('button', { type: 'submit', class: 'button button-secondary', 'data-action': 'return', text: t('returnBtn') });
      const form = el('form', { class: 'form return-form', novalidate: true },
        el('div', { class: 'field' }, el('label', { for: commentId, text: t('commentLabel') }), comment),
        el('div', { class: 'button-row' }, returnButton));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const text = comment.value.trim();
        if (!text) { showError(tr('commentRequired')); comment.focus(); return; }
        reviewAction(s, 'return', { comment: text }, returnButton);
      });
      return el('li', { class: 'card submission', 'data-submission': s.id },
        el('h2', { class: 'card-title' }, t('submissionOrgTitle', { org: s.org, id: s.id }), ' ', stateBadge(s.state)),
        el('p', { class: 'hint', text: t('sentOn', { created: s.created_on, updated: s.updated_on }) }),
        detail ? uploadLine(detail.upload) : null,
        detail ? eventsList(detail.events) : null,
        el('div', { class: 'button-row' }, fileButton, verifyButton),
        form);
    })));
  }

  async function reviewAction(s, action, body, button) {
    const buttons = $$('#review-result button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await api('/submissions/' + s.id + '/' + action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      dataChanged('review');
      await loadReview();
      say(tr(action === 'verify' ? 'verified' : 'returned', { id: s.id, org: s.org }));
      $('#h-review').focus();
    } catch (err) {
      report(err);
      buttons.forEach((b) => { b.disabled = false; });
      if (button && document.contains(button)) button.focus();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 10. Reports
  function renderReportForm() {
    const kind = $('#r-kind');
    const partnerOpt = kind.querySelector('option[value="partner"]');
    const viewer = S.me && S.me.role === 'viewer';
    partnerOpt.hidden = viewer; partnerOpt.disabled = viewer;
    if (viewer && kind.value === 'partner') kind.value = 'joint';
    const k = kind.value;
    $('#r-process-field').hidden = !(k === 'process' || k === 'work-plan');
    $('#r-domain-field').hidden = k !== 'domain';
    $('#r-partner-field').hidden = !(k === 'partner' && isSecretariat());
    const own = $('#partner-own');
    own.hidden = !(k === 'partner' && S.me && !isSecretariat());
    own.textContent = S.me ? t('reportOwn', { org: S.me.org }) : '';
  }

  async function onReport(e) {
    e.preventDefault();
    const kind = $('#r-kind').value;
    const format = $('#r-format').value;
    const params = { period: S.period, format };
    if (kind === 'process' || kind === 'work-plan') params.process = $('#r-process').value;
    if (kind === 'domain') params.domain = $('#r-domain').value;
    if (kind === 'partner' && isSecretariat()) {
      params.partner = $('#r-partner').value.trim();
      if (!params.partner) { showError(tr('partnerRequired')); $('#r-partner').focus(); return; }
    }
    await download('/reports/' + kind + q(params), kind + '-' + S.period + '.' + format, e.submitter);
  }

  // ---------------------------------------------------------------------------------------------
  const LOAD = {
    owed: loadOwed, submissions: loadSubmissions, findings: loadFindings, completeness: loadCompleteness,
    commitments: loadCommitments, review: loadReview
  };
  const RENDER = {
    upload: () => { if (S.data.upload) renderUploadInto($('#upload-result'), S.data.upload); },
    owed: renderOwed, submissions: renderSubmissions, findings: renderFindings, completeness: renderCompleteness,
    commitments: renderCommitments, review: renderReview, reports: () => {}
  };

  function wire() {
    for (const b of $$('.lang-button')) b.addEventListener('click', () => setLang(b.dataset.lang));
    $('#signin-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const token = $('#token-input').value.trim();
      if (!token) { showError(tr('tokenMissing')); $('#token-input').focus(); return; }
      signIn(token, false);
    });
    $('#sign-out').addEventListener('click', () => signOut());
    for (const b of $$('button.tab')) b.addEventListener('click', () => { clearMessages(); showTab(b.dataset.tab, false); });
    $('#period').addEventListener('change', (e) => {
      S.period = e.target.value;
      renderPeriods();
      for (const [tab] of TABS) S.stale.add(tab);
      S.stale.delete(S.tab);
      if (LOAD[S.tab]) LOAD[S.tab]().catch(report);
    });
    $('#upload-form').addEventListener('submit', onUpload);
    $('#upload-file').addEventListener('change', (e) => showFileName(e.target));
    $('#template-form').addEventListener('submit', onTemplate);
    $('#owed-refresh').addEventListener('click', () => loadOwed().catch(report));
    $('#submissions-refresh').addEventListener('click', () => loadSubmissions().catch(report));
    $('#findings-form').addEventListener('submit', (e) => { e.preventDefault(); loadFindings().catch(report); });
    for (const id of ['#f-severity', '#f-status', '#f-rule', '#f-domain']) $(id).addEventListener('change', () => loadFindings().catch(report));
    $('#workplan-form').addEventListener('submit', (e) => { e.preventDefault(); loadWorkPlan().catch(report); });
    $('#review-refresh').addEventListener('click', () => loadReview().catch(report));
    $('#r-kind').addEventListener('change', renderReportForm);
    $('#report-form').addEventListener('submit', onReport);
  }

  function start() {
    applyStatic();
    showFileName($('#upload-file'));
    wire();
    let token = null;
    try { token = sessionStorage.getItem(TOKEN_KEY); } catch (e) { /* storage off */ }
    if (token) signIn(token, true);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
