// Show each slider's value next to it.
document.querySelectorAll("label.slider").forEach(function (label) {
  const input = label.querySelector("input[type=range]");
  const out = label.querySelector("output");
  const show = function () { out.textContent = input.value; };
  input.addEventListener("input", show);
  show();
});
