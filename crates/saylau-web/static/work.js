// Live control-relation checks on the working interface's protocol forms: a progressive
// enhancement. As the operator or observer types, the form's numbers are sent to
// POST /work/check, which runs the same checks as the submission (saylau-core's control
// relations) and answers the broken rules; they are shown under the table. Nothing is
// recorded, and the server checks again on submit: it remains the authority. Without
// JavaScript the forms work as before. Served from /static/work.js under the portal's
// Content-Security-Policy (default-src 'self'): no inline script, no other origin.
'use strict';
(function () {
  for (const form of document.querySelectorAll('form[data-check]')) {
    const table = form.querySelector('table.entry');
    if (!table) continue;
    const out = document.createElement('section');
    out.className = 'live';
    out.setAttribute('aria-live', 'polite');
    table.after(out);
    let timer;
    let asked = 0;
    const check = async () => {
      const body = new URLSearchParams(new FormData(form));
      body.set('station', form.dataset.check);
      const mine = ++asked;
      let json;
      try {
        const res = await fetch('/work/check', { method: 'POST', body, credentials: 'same-origin' });
        if (!res.ok) return;
        json = await res.json();
      } catch {
        return;
      }
      // An answer to an older state of the form, or a form not yet filled in: nothing shown.
      if (mine !== asked) return;
      const complete = !json.broken.some((it) => it.rule === 'form');
      const shown = complete ? json.broken : [];
      out.replaceChildren(...shown.map((it) => {
        const line = document.createElement('p');
        const rule = document.createElement('strong');
        rule.className = 'rule';
        rule.textContent = it.rule;
        line.append(rule, `: ${it.message}`);
        return line;
      }));
      out.classList.toggle('broken', shown.length > 0);
    };
    form.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(check, 250);
    });
  }
})();
