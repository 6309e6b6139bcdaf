// Show each slider's value next to it. A slider with no earlier answer records nothing until
// it is moved (its name is added on first input), so an untouched slider is "not answered".
document.querySelectorAll("label.slider").forEach(function (label) {
  const input = label.querySelector("input[type=range]");
  const out = label.querySelector("output");
  const name = input.name;
  if (input.dataset.unset === "1") {
    input.removeAttribute("name");
    out.textContent = "not answered";
  } else {
    out.textContent = input.value;
  }
  input.addEventListener("input", function () {
    input.name = name;
    out.textContent = input.value;
  });
});
