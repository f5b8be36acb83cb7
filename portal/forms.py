from django.core.exceptions import ValidationError


def apply_errors(form, exc: ValidationError) -> None:
    """Puts a service's ValidationError onto the form, at the field it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
