// Start Swagger UI on /api/docs (a file, not an inline script, to keep the strict CSP).
(function () {
  const node = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: node.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();
