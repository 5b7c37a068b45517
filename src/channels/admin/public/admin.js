// Draws the admin page's chart from the JSON the server put in the page (no inline script:
// the page's CSP is default-src 'self'). Chart.js is served by the bot itself, from node_modules.
(() => {
  const canvas = document.getElementById('daily-chart');
  const data = document.getElementById('daily-data');
  if (!canvas || !data || typeof Chart === 'undefined') return;
  const daily = JSON.parse(data.textContent || '[]');
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: daily.map((d) => d.day),
      datasets: [
        { label: '質問', data: daily.map((d) => d.questions), backgroundColor: '#1d4e89' },
        { label: '答えられなかった', data: daily.map((d) => d.refused), backgroundColor: '#d97706' },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
